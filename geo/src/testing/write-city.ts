import { type Crs, fromWgs84 } from '../import/crs.js';
import type { PropertyMapping } from '../import/to-area-tree.js';
import { LEVEL_ZH } from '../validate/hierarchy.js';
import type { HierarchyArea } from '../validate/issues.js';
import type { RealisticCity } from './realistic-city.js';
import { buildDbf, buildShp, type DbfField, WGS84_PRJ, zipShapefile } from './shapefile-writer.js';

export type CityFormat = 'geojson' | 'kml' | 'shapefile';

/** A written file, shaped as `importCity` takes it. */
export interface WrittenCityFile {
  name: string;
  data: Uint8Array | string;
  role: 'areas' | 'facilities' | 'roads';
}

/** The properties every writer here gives an area: the mapping to import them back with. */
export const SYNTHETIC_CITY_MAPPING: PropertyMapping = {
  code: 'code',
  name: 'name',
  level: 'level',
  parent: 'parent',
  fullCover: 'full',
};

/** The facility properties the writers use (the importer's defaults). */
export const SYNTHETIC_FACILITY_MAPPING = { id: 'id', name: 'name', kind: 'kind' };

type Pair = [number, number];
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/**
 * Converts WGS-84 positions to `crs`, rounded to 1e-7° (~1 cm). The same input always gives
 * the same output, so corners neighbours share stay shared after conversion.
 */
function converter(crs: Crs): (p: readonly [number, number]) => Pair {
  return (p) => {
    const [x, y] = fromWgs84(p, crs);
    return [round7(x), round7(y)];
  };
}

function areaProps(a: HierarchyArea) {
  return {
    code: a.code,
    name: a.name,
    level: LEVEL_ZH[a.level],
    parent: a.parent ?? '',
    full: a.fullCover ? '是' : '',
  };
}

function geojsonFiles(
  city: RealisticCity,
  conv: (p: readonly [number, number]) => Pair,
  stem: string,
): WrittenCityFile[] {
  const areas = {
    type: 'FeatureCollection',
    features: city.areas.map((a) => ({
      type: 'Feature',
      properties: areaProps(a),
      geometry: a.ring ? { type: 'Polygon', coordinates: [a.ring.map(conv)] } : null,
    })),
  };
  return [{ name: `${stem}-areas.geojson`, data: JSON.stringify(areas), role: 'areas' }, ...extras(city, conv, stem)];
}

/** Facilities and roads as GeoJSON. */
function extras(city: RealisticCity, conv: (p: readonly [number, number]) => Pair, stem: string): WrittenCityFile[] {
  const facilities = {
    type: 'FeatureCollection',
    features: city.facilities.map((f) => ({
      type: 'Feature',
      properties: { id: f.id, name: f.name, kind: f.kind },
      geometry: { type: 'Point', coordinates: conv(f.position) },
    })),
  };
  const roads = {
    type: 'FeatureCollection',
    features: city.roads.features.map((r) => ({
      type: 'Feature',
      properties: r.properties,
      geometry: { type: 'LineString', coordinates: r.geometry.coordinates.map(conv) },
    })),
  };
  return [
    { name: `${stem}-facilities.geojson`, data: JSON.stringify(facilities), role: 'facilities' },
    { name: `${stem}-roads.geojson`, data: JSON.stringify(roads), role: 'roads' },
  ];
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const coords = (ps: readonly Pair[]) => ps.map(([x, y]) => `${x},${y}`).join(' ');

function placemark(name: string, data: Record<string, string>, geometry: string): string {
  const extended = Object.entries(data)
    .map(([k, v]) => `<Data name="${xml(k)}"><value>${xml(v)}</value></Data>`)
    .join('');
  return `<Placemark><name>${xml(name)}</name><ExtendedData>${extended}</ExtendedData>${geometry}</Placemark>`;
}

const kmlDoc = (name: string, body: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${xml(name)}</name>\n${body.join('\n')}\n</Document></kml>\n`;

function kmlFiles(city: RealisticCity, conv: (p: readonly [number, number]) => Pair, stem: string): WrittenCityFile[] {
  const areas = city.areas.map((a) => {
    const ring = a.ring ? a.ring.map(conv) : null;
    const geometry = ring
      ? `<Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(ring)}</coordinates></LinearRing></outerBoundaryIs></Polygon>`
      : '';
    return placemark(a.name, areaProps(a), geometry);
  });
  const facilities = city.facilities.map((f) =>
    placemark(
      f.name,
      { id: f.id, kind: f.kind },
      `<Point><coordinates>${coords([conv(f.position)])}</coordinates></Point>`,
    ),
  );
  const roads = city.roads.features.map((r) =>
    placemark(
      r.properties.name,
      {},
      `<LineString><coordinates>${coords(r.geometry.coordinates.map(conv))}</coordinates></LineString>`,
    ),
  );
  return [
    { name: `${stem}-areas.kml`, data: kmlDoc(`${stem} areas`, areas), role: 'areas' },
    { name: `${stem}-facilities.kml`, data: kmlDoc(`${stem} facilities`, facilities), role: 'facilities' },
    { name: `${stem}-roads.kml`, data: kmlDoc(`${stem} roads`, roads), role: 'roads' },
  ];
}

const AREA_FIELDS: DbfField[] = [
  { name: 'code', type: 'C', length: 15 },
  { name: 'name', type: 'C', length: 80 },
  { name: 'level', type: 'C', length: 8 },
  { name: 'parent', type: 'C', length: 15 },
  { name: 'full', type: 'C', length: 2 },
];
const FACILITY_FIELDS: DbfField[] = [
  { name: 'id', type: 'C', length: 12 },
  { name: 'name', type: 'C', length: 80 },
  { name: 'kind', type: 'C', length: 40 },
];
const ROAD_FIELDS: DbfField[] = [{ name: 'name', type: 'C', length: 40 }];

async function shapefileFiles(
  city: RealisticCity,
  conv: (p: readonly [number, number]) => Pair,
  stem: string,
  crs: Crs,
): Promise<WrittenCityFile[]> {
  // GCJ-02 and BD-09 have no .prj that says so: such files, as exported in China, have none.
  const prj = crs === 'WGS84' ? { prj: WGS84_PRJ } : {};
  const zip = async (name: string, shapes: { shp: Uint8Array; shx: Uint8Array }, dbf: Uint8Array) =>
    zipShapefile(name, { ...shapes, dbf, cpg: 'GBK', ...prj });
  // A Shapefile has one shape per record: areas without a boundary cannot be written.
  const drawn = city.areas.filter((a) => a.ring);
  const areas = await zip(
    `${stem}-areas`,
    buildShp(drawn.map((a) => a.ring!.map(conv).reverse())), // outer rings clockwise
    buildDbf(
      AREA_FIELDS,
      drawn.map((a) => {
        const p = areaProps(a);
        return [p.code, p.name, p.level, p.parent, p.full];
      }),
    ),
  );
  const facilities = await zip(
    `${stem}-facilities`,
    buildShp(
      city.facilities.map((f) => [conv(f.position)]),
      'point',
    ),
    buildDbf(
      FACILITY_FIELDS,
      city.facilities.map((f) => [f.id, f.name, f.kind]),
    ),
  );
  const roads = await zip(
    `${stem}-roads`,
    buildShp(
      city.roads.features.map((r) => r.geometry.coordinates.map(conv)),
      'polyline',
    ),
    buildDbf(
      ROAD_FIELDS,
      city.roads.features.map((r) => [r.properties.name]),
    ),
  );
  return [
    { name: `${stem}-areas.zip`, data: areas, role: 'areas' },
    { name: `${stem}-facilities.zip`, data: facilities, role: 'facilities' },
    { name: `${stem}-roads.zip`, data: roads, role: 'roads' },
  ];
}

/**
 * Writes a city as the files a city's IT department would hand over, in one format:
 * areas (every level, with code, name, level word, parent code and a full-cover flag
 * 是), facilities (id, name, kind word) and roads (name). Coordinates are in `crs`
 * (default GCJ-02, as exported from 高德/腾讯 maps). As Shapefiles, each is its own zip
 * (polygons, points, polylines) with GBK text, a .cpg saying GBK and no .prj unless WGS-84. Import them back with SYNTHETIC_CITY_MAPPING and the same `crs`.
 */
export async function writeSyntheticCity(
  city: RealisticCity,
  format: CityFormat,
  options: { crs?: Crs; stem?: string } = {},
): Promise<WrittenCityFile[]> {
  const crs = options.crs ?? 'GCJ02';
  const stem = options.stem ?? 'city';
  const conv = converter(crs);
  if (format === 'geojson') return geojsonFiles(city, conv, stem);
  if (format === 'kml') return kmlFiles(city, conv, stem);
  return shapefileFiles(city, conv, stem, crs);
}
