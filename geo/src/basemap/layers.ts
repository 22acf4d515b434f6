import type { DemoFeatures } from '../demo-features/types.js';
import { ringCentroid } from '../polygon.js';
import type { AreaTree } from '../types.js';

/** A GeoJSON feature as the tiler takes it. */
export interface LayerFeature {
  type: 'Feature';
  properties: Record<string, string | number>;
  geometry: { type: string; coordinates: unknown };
}
export interface LayerCollection {
  type: 'FeatureCollection';
  features: LayerFeature[];
}

/** The basemap's vector layers, bottom to top. Styles refer to these names. */
export const BASEMAP_LAYERS = ['areas', 'water', 'parks', 'streets', 'facilities', 'labels'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

const collection = (features: LayerFeature[]): LayerCollection => ({ type: 'FeatureCollection', features });

/**
 * The demo city as basemap layers. Households are left out on purpose: the
 * basemap is served without authentication and must hold no personal data.
 */
export function basemapLayers(tree: AreaTree, f: DemoFeatures): Record<BasemapLayer, LayerCollection> {
  const shaped = tree.areas.filter((a) => a.ring && (a.level === 'community' || a.level === 'grid'));
  const areas = shaped.map<LayerFeature>((a) => ({
    type: 'Feature',
    properties: { code: a.code, name: a.name, level: a.level },
    geometry: { type: 'Polygon', coordinates: [a.ring] },
  }));
  const labels: LayerFeature[] = [
    ...shaped
      .filter((a) => a.level === 'community')
      .map((a) => ({ name: a.name, kind: 'community', rank: 1, at: ringCentroid(a.ring!) })),
    ...f.parks.map((p) => ({
      name: p.properties.name,
      kind: 'park',
      rank: 2,
      at: ringCentroid(p.geometry.coordinates[0]!),
    })),
    ...f.water.map((w) => {
      const ring = w.geometry.coordinates[0]!;
      // A river's label sits on its bank line's middle vertex; a lake's at its centre.
      const at = w.properties.kind === 'river' ? ring[Math.floor(ring.length / 4)]! : ringCentroid(ring);
      return { name: w.properties.name, kind: 'water', rank: 2, at };
    }),
  ].map((l) => ({
    type: 'Feature',
    properties: { name: l.name, kind: l.kind, rank: l.rank },
    geometry: { type: 'Point', coordinates: l.at },
  }));
  return {
    areas: collection(areas),
    water: collection(f.water.map((w) => ({ ...w, properties: { ...w.properties } }))),
    parks: collection(f.parks.map((p) => ({ ...p, properties: { ...p.properties } }))),
    streets: collection(f.streets.map((s) => ({ ...s, properties: { ...s.properties } }))),
    facilities: collection(
      f.facilities.map((x) => ({
        type: 'Feature',
        properties: { id: x.id, type: x.type, name: x.name },
        geometry: { type: 'Point', coordinates: x.position },
      })),
    ),
    labels: collection(labels),
  };
}
