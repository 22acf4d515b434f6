/**
 * Ids of the area layers (community fill and outline, grid outline). The
 * basemap style itself lives in basemap-style.ts.
 */
export const AREA_LAYERS = {
  communityFill: 'community-fill',
  communityLine: 'community-line',
  gridLine: 'grid-line',
} as const;
