import { type AreaTree, loadDemoCity, loadDemoFeatures, toGeoJson } from '@linli/geo';
import { type CityFile, type CityImportOptions, importCity } from './city-import.js';
import type { CityDraft } from './city-types.js';

export const DEMO_CITY_NAME = '宿州市（示意数据）';

const file = (name: string, value: unknown): CityFile => ({
  name,
  data: new TextEncoder().encode(JSON.stringify(value)),
});

/** The demo city's area tree as geo ships it (the synthetic register's default grids). */
export function demoCityTree(): AreaTree {
  return loadDemoCity();
}

/**
 * The demo city as the files a city would bring: areas, facilities and streets
 * as GeoJSON (WGS-84), imported through the same pipeline as any city and
 * flagged demo. Ring-less levels (city, district, street: drawn from their
 * children) travel as features without geometry, which the importer accepts
 * above the grid level. This module and scripts/demo.mjs are the only readers
 * of geo's demo data in the hub.
 */
export function demoCityFiles(): CityFile[] {
  const tree = loadDemoCity();
  const features = loadDemoFeatures();
  const drawn = new Set(toGeoJson(tree).features.map((f) => f.properties.code));
  const areas = {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
    features: [
      ...toGeoJson(tree).features,
      ...tree.areas
        .filter((a) => !drawn.has(a.code))
        .map((a) => ({ type: 'Feature', properties: { code: a.code, name: a.name, level: a.level }, geometry: null })),
    ],
  };
  const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } };
  return [
    file('demo-areas.geojson', areas),
    file('demo-facilities.geojson', {
      type: 'FeatureCollection',
      crs,
      features: features.facilities.map((f) => ({
        type: 'Feature',
        properties: { name: f.name, kind: f.type },
        geometry: { type: 'Point', coordinates: f.position },
      })),
    }),
    file('demo-roads.geojson', { type: 'FeatureCollection', crs, features: features.streets }),
  ];
}

/** The demo city as a draft ready to store; its households are its homes (no sampling). */
export async function demoCityDraft(onProgress?: CityImportOptions['onProgress']): Promise<CityDraft> {
  const households = loadDemoFeatures().households.map(({ id, position, grid, loneElder }) => ({
    id,
    position,
    grid,
    loneElder,
  }));
  return importCity(demoCityFiles(), {
    name: DEMO_CITY_NAME,
    demo: true,
    mapping: { code: 'code', name: 'name', facilityKind: 'kind', facilityName: 'name' },
    homes: households,
    ...(onProgress ? { onProgress } : {}),
  });
}
