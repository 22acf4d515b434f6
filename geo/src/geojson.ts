import type { AreaTree } from './types.js';

export interface AreaFeature {
  type: 'Feature';
  properties: { code: string; name: string; level: string; parent: string | null };
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
}

/** Areas with geometry as a GeoJSON FeatureCollection for the cockpit. */
export function toGeoJson(tree: AreaTree): { type: 'FeatureCollection'; features: AreaFeature[] } {
  return {
    type: 'FeatureCollection',
    features: tree.areas
      .filter((a) => a.ring)
      .map((a) => ({
        type: 'Feature',
        properties: { code: a.code, name: a.name, level: a.level, parent: a.parent },
        geometry: { type: 'Polygon', coordinates: [a.ring!] },
      })),
  };
}
