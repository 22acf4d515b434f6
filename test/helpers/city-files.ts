import { fromWgs84 } from '@linli/geo';
import { buildDbf, buildShp, zipShapefile } from '../../geo/src/testing/shapefile-writer.js';

/**
 * A small synthetic city that is not the demo: 滁州市 (341100) › 琅琊区 (341102) ›
 * two streets › two communities each › two grids each (16 areas), about
 * 2 km × 1.6 km around 118.31 E, 32.30 N, written by the test in each format a
 * city brings: GeoJSON, KML, and a zipped Shapefile with GBK names in GCJ-02.
 * Every child tiles its parent exactly, so the city validates clean.
 */
export const NEW_CITY = {
  city: '341100',
  district: '341102',
  streetA: '341102001',
  streetB: '341102002',
  communityA1: '341102001001',
  gridA1a: '341102001001001',
  gridB2b: '341102002002002',
};

type Pt = [number, number];
export interface SynthArea {
  code: string;
  name: string;
  ring: Pt[];
}

const X0 = 118.3;
const Y0 = 32.292;
const W = 0.02;
const H = 0.016;

/** Counter-clockwise rectangle (RFC 7946 outer ring), closed. */
const rect = (x0: number, y0: number, x1: number, y1: number): Pt[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const round = (p: Pt): Pt => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

/** The 16 areas; `rename` changes names and `dropGrid` leaves one grid out (a second version's diff). */
export function syntheticAreas(opts: { rename?: Record<string, string>; dropGrid?: string } = {}): SynthArea[] {
  const out: SynthArea[] = [
    { code: NEW_CITY.city, name: '滁州市', ring: rect(X0, Y0, X0 + W, Y0 + H) },
    { code: NEW_CITY.district, name: '琅琊区', ring: rect(X0, Y0, X0 + W, Y0 + H) },
  ];
  const streets = ['琅琊街道', '清流街道'];
  const communities = [
    ['醉翁亭社区', '丰乐社区'],
    ['清流社区', '南谯社区'],
  ];
  streets.forEach((sName, s) => {
    const sx = X0 + (s * W) / 2;
    const sCode = `${NEW_CITY.district}00${s + 1}`;
    out.push({ code: sCode, name: sName, ring: rect(sx, Y0, sx + W / 2, Y0 + H) });
    communities[s]!.forEach((cName, c) => {
      const cy = Y0 + (c * H) / 2;
      const cCode = `${sCode}00${c + 1}`;
      out.push({ code: cCode, name: cName, ring: rect(sx, cy, sx + W / 2, cy + H / 2) });
      for (let g = 0; g < 2; g++) {
        const gx = sx + (g * W) / 4;
        out.push({
          code: `${cCode}00${g + 1}`,
          name: `${cName}第${g + 1}网格`,
          ring: rect(gx, cy, gx + W / 4, cy + H / 2),
        });
      }
    });
  });
  return out
    .filter((a) => a.code !== opts.dropGrid)
    .map((a) => ({ ...a, name: opts.rename?.[a.code] ?? a.name, ring: a.ring.map(round) }));
}

/** The centre of an area of the synthetic city (for gateway locations and events). */
export function centreOf(code: string): Pt {
  const a = syntheticAreas().find((x) => x.code === code)!;
  const xs = a.ring.map((p) => p[0]);
  const ys = a.ring.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

export function geojsonCity(areas = syntheticAreas()): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
    features: areas.map((a) => ({
      type: 'Feature',
      properties: { 编码: a.code, 名称: a.name },
      geometry: { type: 'Polygon', coordinates: [a.ring] },
    })),
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function kmlCity(areas = syntheticAreas()): string {
  const marks = areas
    .map(
      (a) => `<Placemark><name>${esc(a.name)}</name>
  <ExtendedData><Data name="code"><value>${a.code}</value></Data></ExtendedData>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>${a.ring.map((p) => p.join(',')).join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon>
</Placemark>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
${marks}
</Document></kml>`;
}

/**
 * A zipped Shapefile as Chinese GIS offices hand them over: names in GBK (the
 * .dbf's language driver says so, no .cpg) and positions in GCJ-02, with no .prj.
 */
export async function shapefileCity(areas = syntheticAreas()): Promise<Uint8Array> {
  // Shapefile outer rings run clockwise: the counter-clockwise rings reversed.
  const rings = areas.map((a) => a.ring.map((p) => fromWgs84(p, 'GCJ02')).reverse());
  const { shp, shx } = buildShp(rings);
  const dbf = buildDbf(
    [
      { name: 'CODE', type: 'C', length: 15 },
      { name: 'NAME', type: 'C', length: 40 },
    ],
    // The writer's default: GBK text, language driver 0x4D.
    areas.map((a) => [a.code, a.name]),
  );
  return zipShapefile('city/areas', { shp, shx, dbf });
}

/** Facilities (points, kind in Chinese) and two walking streets (lines) for the GeoJSON city. */
export function facilitiesGeojson(): string {
  const [cx, cy] = centreOf(NEW_CITY.communityA1);
  const pt = (name: string, kind: string, dx: number, dy: number) => ({
    type: 'Feature',
    properties: { 名称: name, 类型: kind },
    geometry: { type: 'Point', coordinates: [cx + dx, cy + dy] },
  });
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'EPSG:4326' } },
    features: [
      pt('醉翁亭养老服务站', '养老服务站', 0.001, 0.001),
      pt('琅琊社区卫生服务站', '社区卫生服务站', -0.001, 0.001),
      pt('丰乐助餐点', '老年食堂', 0.002, -0.001),
      pt('醉翁亭便利店', '便利店', -0.002, -0.001),
      pt('琅琊派出所', '派出所', 0, 0.002),
    ],
  });
}

export function roadsGeojson(): string {
  const line = (name: string, coords: Pt[]) => ({
    type: 'Feature',
    properties: { name },
    geometry: { type: 'LineString', coordinates: coords },
  });
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'EPSG:4326' } },
    features: [
      line('丰乐路', [
        [X0, Y0 + H / 2],
        [X0 + W, Y0 + H / 2],
      ]),
      line('琅琊路', [
        [X0 + W / 4, Y0],
        [X0 + W / 4, Y0 + H],
      ]),
    ],
  });
}
