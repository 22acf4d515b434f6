import type { Map as MapLibreMap } from 'maplibre-gl';
import type { AreaCollection } from '../hub-client.js';
import { AREA_LAYERS } from './base-style.js';

/** Community polygons and grid boundaries as MapLibre layers beneath the deck.gl overlay. */
export function addAreaLayers(map: MapLibreMap, areas: AreaCollection): void {
  map.addSource('areas', { type: 'geojson', data: areas as unknown as GeoJSON.FeatureCollection });
  map.addLayer({
    id: AREA_LAYERS.communityFill,
    type: 'fill',
    source: 'areas',
    filter: ['==', ['get', 'level'], 'community'],
    paint: { 'fill-color': '#123a6b', 'fill-opacity': 0.55 },
  });
  map.addLayer({
    id: AREA_LAYERS.gridLine,
    type: 'line',
    source: 'areas',
    filter: ['==', ['get', 'level'], 'grid'],
    paint: { 'line-color': '#2c5f9e', 'line-width': 1, 'line-dasharray': [2, 2] },
  });
  map.addLayer({
    id: AREA_LAYERS.communityLine,
    type: 'line',
    source: 'areas',
    filter: ['==', ['get', 'level'], 'community'],
    paint: { 'line-color': '#3fb6ff', 'line-width': 2 },
  });
}

/** Bounds of every community, for the initial view. */
export function areasBounds(areas: AreaCollection): [[number, number], [number, number]] {
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  for (const f of areas.features) {
    for (const [x, y] of f.geometry.coordinates[0] ?? []) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  }
  return [
    [w, s],
    [e, n],
  ];
}
