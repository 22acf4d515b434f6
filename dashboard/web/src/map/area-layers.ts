import type { Map as MapLibreMap, RequestParameters } from 'maplibre-gl';
import type { GridTileSource } from '../layers/grid-tiles-layer.js';
import { AREA_LAYERS } from './base-style.js';

/**
 * Community polygons and grid boundaries as MapLibre layers beneath the
 * deck.gl overlay, from the hub's area vector tiles (the same tiles the grid
 * choropleth reads, every level): a city of 15,000 grids costs the tiles in
 * view, never one GeoJSON of every ring. No tiles (no active city): nothing.
 */
export function addAreaLayers(map: MapLibreMap, tiles: GridTileSource | null): void {
  if (!tiles) return;
  map.addSource('areas', { type: 'vector', tiles: tiles.areaUrls, minzoom: 0, maxzoom: tiles.maxZoom });
  const layer = { source: 'areas', 'source-layer': tiles.layer };
  map.addLayer({
    id: AREA_LAYERS.communityFill,
    type: 'fill',
    ...layer,
    filter: ['==', ['get', 'level'], 'community'],
    paint: { 'fill-color': '#123a6b', 'fill-opacity': 0.55 },
  });
  map.addLayer({
    id: AREA_LAYERS.gridLine,
    type: 'line',
    ...layer,
    filter: ['==', ['get', 'level'], 'grid'],
    paint: { 'line-color': '#2c5f9e', 'line-width': 1, 'line-dasharray': [2, 2] },
  });
  map.addLayer({
    id: AREA_LAYERS.communityLine,
    type: 'line',
    ...layer,
    filter: ['==', ['get', 'level'], 'community'],
    paint: { 'line-color': '#3fb6ff', 'line-width': 2 },
  });
}

/** The area tiles are per viewer: MapLibre asks for them with the session's token, nothing else gets it. */
export function areaTileAuth(tiles: GridTileSource | null): (url: string) => RequestParameters {
  return (url) =>
    tiles && tiles.areaUrls.some((u) => url.startsWith(u.slice(0, u.indexOf('{z}'))))
      ? { url, headers: { authorization: `Bearer ${tiles.key}` } }
      : { url };
}
