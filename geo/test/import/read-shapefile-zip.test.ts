import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { readShapefileZip } from '../../src/import/read-shapefile-zip.js';
import { toAreas } from '../../src/import/to-area-tree.js';
import { validatePolygon } from '../../src/validate/geometry.js';
import { buildDbf, buildShp, type DbfField, hex, WGS84_PRJ, zip } from './shapefile-fixture.js';

// Two grids of 马号社区, clockwise as the Shapefile format wants outer rings.
const WEST: [number, number][] = [
  [116.99, 33.64],
  [116.99, 33.645],
  [116.995, 33.645],
  [116.995, 33.64],
  [116.99, 33.64],
];
const EAST: [number, number][] = WEST.map(([x, y]) => [x + 0.005, y]);
const FIELDS: DbfField[] = [
  { name: 'CODE', type: 'C', length: 15 },
  { name: 'NAME', type: 'C', length: 20 },
  { name: 'SEQ', type: 'N', length: 4 },
];
// "马号社区第1网格" and "马号社区第2网格" in GBK (社区 = C9 E7 C7 F8).
const GBK_NAMES = [
  hex('C2 ED BA C5 C9 E7 C7 F8 B5 DA 31 CD F8 B8 F1'),
  hex('C2 ED BA C5 C9 E7 C7 F8 B5 DA 32 CD F8 B8 F1'),
];

async function fixture(opts: { names?: (string | Uint8Array)[]; ldid?: number; extra?: Record<string, string> } = {}) {
  const { shp, shx } = buildShp([[WEST], [EAST]]);
  const names = opts.names ?? GBK_NAMES;
  const dbf = buildDbf(
    FIELDS,
    [
      ['341302002001001', names[0]!, 1],
      ['341302002001002', names[1]!, 2],
    ],
    opts.ldid,
  );
  return zip({ 'grids/grids.shp': shp, 'grids/grids.shx': shx, 'grids/grids.dbf': dbf, ...opts.extra });
}

async function importError(p: Promise<unknown>): Promise<ImportError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('readShapefileZip', () => {
  it('reads a zipped Shapefile with GBK names declared by a .cpg, and a WGS-84 .prj', async () => {
    const data = await fixture({ extra: { 'grids/grids.cpg': 'GBK', 'grids/grids.prj': WGS84_PRJ } });
    const { collection, source } = await readShapefileZip(data, { name: 'grids.zip' });
    expect(source).toMatchObject({
      format: 'shapefile',
      layer: 'grids/grids.shp',
      encoding: 'gbk',
      encodingFrom: 'cpg',
    });
    expect(source.crs.crs).toBe('WGS84');
    expect(collection.features.map((f) => f.properties)).toEqual([
      { CODE: '341302002001001', NAME: '马号社区第1网格', SEQ: 1 },
      { CODE: '341302002001002', NAME: '马号社区第2网格', SEQ: 2 },
    ]);
    expect(new TextDecoder('gbk').decode(GBK_NAMES[0])).toBe('马号社区第1网格');
    // Clockwise Shapefile rings come back counter-clockwise (RFC 7946), otherwise unchanged.
    expect(collection.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: [[...WEST].reverse()] });
    for (const f of collection.features) expect(validatePolygon(f.geometry!.coordinates)).toEqual([]);
    const { areas } = toAreas({ collection, source }, { mapping: { code: 'CODE', name: 'NAME' } });
    expect(areas.map((a) => [a.code, a.name, a.level, a.parent])).toEqual([
      ['341302002001001', '马号社区第1网格', 'grid', '341302002001'],
      ['341302002001002', '马号社区第2网格', 'grid', '341302002001'],
    ]);
  });

  it('takes the encoding from the option over a .cpg, and GBK from the DBF language driver byte', async () => {
    const wrongCpg = await fixture({ extra: { 'grids/grids.cpg': 'UTF-8' } });
    const viaOption = await readShapefileZip(wrongCpg, { encoding: 'gbk' });
    expect(viaOption.source).toMatchObject({ encoding: 'gbk', encodingFrom: 'option' });
    expect(viaOption.collection.features[1]!.properties!['NAME']).toBe('马号社区第2网格');
    const viaLdid = await readShapefileZip(await fixture({ ldid: 0x4d }));
    expect(viaLdid.source).toMatchObject({ encoding: 'gbk', encodingFrom: 'dbf-header' });
    expect(viaLdid.collection.features[0]!.properties!['NAME']).toBe('马号社区第1网格');
  });

  it('reads UTF-8 text without a .cpg, and refuses undeclared non-UTF-8 text asking for the encoding', async () => {
    const utf8 = await readShapefileZip(await fixture({ names: ['Block A', 'Block B'] }));
    expect(utf8.source).toMatchObject({ encoding: 'utf-8', encodingFrom: 'utf-8-check' });
    const e = await importError(readShapefileZip(await fixture(), { name: 'gbk.zip' }));
    expect(e.issues[0]!.kind).toBe('unknown-encoding');
    expect(e.message).toMatch(/GBK.*encoding/);
    const bad = await importError(readShapefileZip(await fixture(), { encoding: 'klingon' }));
    expect(bad.issues[0]!.kind).toBe('bad-encoding');
  });

  it('refuses a projected .prj, naming the file', async () => {
    const prj = 'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]';
    const e = await importError(readShapefileZip(await fixture({ extra: { 'grids/grids.prj': prj } })));
    expect(e.issues[0]!.kind).toBe('projected-crs');
    expect(e.message).toContain('grids/grids.prj');
    expect(e.message).toContain('CGCS2000_3_Degree_GK_CM_117E');
    expect(e.message).toMatch(/投影坐标系.*projected/s);
  });

  it('needs exactly one .shp, or a layer option to choose', async () => {
    const { shp, shx } = buildShp([[WEST]]);
    const dbf = buildDbf(FIELDS, [['341302002001001', 'A', 1]]);
    const two = await zip({ 'a.shp': shp, 'a.shx': shx, 'a.dbf': dbf, 'b.shp': shp, 'b.dbf': dbf });
    expect((await importError(readShapefileZip(two))).issues[0]!.kind).toBe('many-shp');
    expect((await readShapefileZip(two, { layer: 'b' })).source.layer).toBe('b.shp');
    expect((await importError(readShapefileZip(two, { layer: 'c' }))).issues[0]!.kind).toBe('no-shp');
    const none = await zip({ 'readme.txt': 'no shapes here' });
    expect((await importError(readShapefileZip(none))).message).toContain('readme.txt');
  });

  it('refuses bytes that are not a zip, and a .shp that is not a shapefile', async () => {
    expect((await importError(readShapefileZip(new TextEncoder().encode('PK? no')))).issues[0]!.kind).toBe('not-zip');
    const junk = await zip({ 'x.shp': new Uint8Array(120).fill(7) });
    expect((await importError(readShapefileZip(junk))).issues[0]!.kind).toBe('bad-shapefile');
  });
});
