import { describe, expect, it } from 'vitest';
import { detectCrs, fromWgs84, inChina, requireCrs, toWgs84 } from '../../src/import/crs.js';
import { ImportError } from '../../src/import/errors.js';
import { crsFromPrj } from '../../src/import/prj.js';

/** Great-circle distance in metres (haversine), independent of the code under test. */
function metres(a: [number, number], b: [number, number]): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(r(b[1] - a[1]) / 2) ** 2 + Math.cos(r(a[1])) * Math.cos(r(b[1])) * Math.sin(r(b[0] - a[0]) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

// Published reference pair near Tiananmen: WGS-84 and the GCJ-02 position Chinese web maps show.
const WGS: [number, number] = [116.397428, 39.90923];
const GCJ: [number, number] = [116.403669, 39.910634];

describe('coordinate systems', () => {
  it('converts the Tiananmen reference point between GCJ-02 and WGS-84 to within 1 m', () => {
    expect(metres(WGS, GCJ)).toBeGreaterThan(500);
    expect(metres(WGS, GCJ)).toBeLessThan(600);
    expect(metres(toWgs84(GCJ, 'GCJ02'), WGS)).toBeLessThan(1);
    expect(metres(fromWgs84(WGS, 'GCJ02'), GCJ)).toBeLessThan(1);
    expect(metres(toWgs84(fromWgs84(WGS, 'GCJ02'), 'GCJ02'), WGS)).toBeLessThan(1);
  });

  it('round-trips BD-09 (Baidu), which sits further off than GCJ-02', () => {
    const bd = fromWgs84(WGS, 'BD09');
    expect(metres(bd, WGS)).toBeGreaterThan(metres(GCJ, WGS));
    expect(metres(toWgs84(bd, 'BD09'), WGS)).toBeLessThan(1);
  });

  it('leaves a point outside China unchanged', () => {
    const paris: [number, number] = [2.3522, 48.8566];
    expect(inChina(...paris)).toBe(false);
    expect(toWgs84(paris, 'GCJ02')).toEqual(paris);
    expect(toWgs84(paris, 'BD09')).toEqual(paris);
    expect(fromWgs84(paris, 'GCJ02')).toEqual(paris);
    expect(fromWgs84(paris, 'BD09')).toEqual(paris);
    expect(inChina(116.98, 33.64)).toBe(true);
  });

  it('detects the CRS: an explicit choice wins, then a declared crs member, otherwise unknown', () => {
    const declared = (name: string) => ({ type: 'FeatureCollection', crs: { type: 'name', properties: { name } } });
    expect(detectCrs(declared('urn:ogc:def:crs:OGC:1.3:CRS84')).crs).toBe('WGS84');
    expect(detectCrs(declared('EPSG:4326')).crs).toBe('WGS84');
    expect(detectCrs(declared('urn:ogc:def:crs:EPSG::4490')).crs).toBe('WGS84');
    expect(detectCrs(declared('urn:ogc:def:crs:EPSG::3857'))).toMatchObject({ crs: 'unsupported', from: 'file' });
    expect(detectCrs(declared('EPSG:4326'), 'GCJ02')).toMatchObject({ crs: 'GCJ02', from: 'explicit' });
    expect(detectCrs({ type: 'FeatureCollection', features: [] })).toMatchObject({ crs: 'unknown', from: 'none' });
  });

  it('requires an explicit CRS for undeclared data in China, and says how', () => {
    const unknown = detectCrs({});
    expect(requireCrs(unknown, false, 'x')).toBe('WGS84');
    let e: unknown;
    try {
      requireCrs(unknown, true, 'communities.geojson');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).code).toBe('IMPORT');
    expect((e as ImportError).message).toContain('communities.geojson');
    expect((e as ImportError).message).toMatch(/--crs.*GCJ02.*--crs/s);
    expect(() => requireCrs(detectCrs({ crs: { properties: { name: 'EPSG:3857' } } }), false, 'x')).toThrow(
      /EPSG:3857/,
    );
  });

  it('reads .prj files: WGS-84 and CGCS2000 are accepted, projected and other datums are not', () => {
    const geog = (name: string, datum: string) => `GEOGCS["${name}",DATUM["${datum}",SPHEROID["x",1,1]]]`;
    expect(crsFromPrj(geog('GCS_WGS_1984', 'D_WGS_1984'), 'a.prj').crs).toBe('WGS84');
    expect(crsFromPrj(geog('GCS_China_Geodetic_Coordinate_System_2000', 'D_China_2000'), 'a.prj').crs).toBe('WGS84');
    const xian = crsFromPrj(geog('GCS_Xian_1980', 'D_Xian_1980'), 'a.prj');
    expect(xian.crs).toBe('unknown');
    expect(xian.reason.en).toContain('D_Xian_1980');
    const utm = crsFromPrj('PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984"]]', 'a.prj');
    expect(utm).toMatchObject({ crs: 'unsupported', projected: 'WGS_1984_UTM_Zone_50N' });
  });
});
