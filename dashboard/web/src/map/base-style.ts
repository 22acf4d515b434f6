import type { StyleSpecification } from 'maplibre-gl';

/**
 * The command-center style: no tiles, glyphs or sprites from anywhere; the
 * area polygons come from the hub. (An offline vector basemap joins later.)
 */
export const BASE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#07101f' } }],
};

export const AREA_LAYERS = {
  communityFill: 'community-fill',
  communityLine: 'community-line',
  gridLine: 'grid-line',
} as const;
