import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { importCity } from '../../src/import/import-city.js';
import { encodeGbk } from '../../src/testing/gbk.js';
import { type CitySplit, realisticCity } from '../../src/testing/realistic-city.js';
import { type CityFormat, SYNTHETIC_CITY_MAPPING, writeSyntheticCity } from '../../src/testing/write-city.js';

/** Within ~0.5 m: a GCJ-02 or BD-09 round trip through gcoord is good to ~2e-6°, writing rounds to 1e-7°. */
const TOLERANCE_DEG = 5e-6;
const dim = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }));
const split: fc.Arbitrary<CitySplit> = fc.record({ districts: dim, streets: dim, communities: dim, grids: dim });

describe('writeSyntheticCity then importCity', () => {
  it('gives back the same areas, facilities and roads from every format and coordinate system', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1000),
        split,
        fc.constantFrom<CityFormat>('geojson', 'kml', 'shapefile'),
        fc.constantFrom('WGS84' as const, 'GCJ02' as const, 'BD09' as const),
        async (seed, s, format, crs) => {
          const city = realisticCity({ seed, split: s });
          const files = await writeSyntheticCity(city, format, { crs });
          const r = await importCity(files, { mapping: SYNTHETIC_CITY_MAPPING, crs });
          expect(r.report.issues).toEqual([]);
          const back = new Map(r.areas.map((a) => [a.code, a]));
          expect(back.size).toBe(city.areas.length);
          for (const a of city.areas) {
            const b = back.get(a.code)!;
            expect([b.name, b.level, b.parent, b.fullCover]).toEqual([a.name, a.level, a.parent, a.fullCover]);
            expect(b.ring).toHaveLength(a.ring!.length);
            b.ring!.forEach((p, k) => {
              expect(Math.abs(p[0] - a.ring![k]![0])).toBeLessThan(TOLERANCE_DEG);
              expect(Math.abs(p[1] - a.ring![k]![1])).toBeLessThan(TOLERANCE_DEG);
            });
          }
          expect(r.facilities!.map((f) => [f.id, f.name, f.label])).toEqual(
            city.facilities.map((f) => [f.id, f.name, f.kind]),
          );
          r.facilities!.forEach((f, k) =>
            expect(
              Math.hypot(
                f.position[0] - city.facilities[k]!.position[0],
                f.position[1] - city.facilities[k]!.position[1],
              ),
            ).toBeLessThan(TOLERANCE_DEG),
          );
          expect(r.roads!.features.map((f) => f.properties.name)).toEqual(
            city.roads.features.map((f) => f.properties.name),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the Shapefile writer', () => {
  it('writes names as GBK bytes with a .cpg saying so, and no .prj for GCJ-02', async () => {
    const city = realisticCity({
      seed: 1,
      split: { districts: [1, 1], streets: [1, 1], communities: [1, 1], grids: [1, 1] },
    });
    city.areas[1]!.name = '埇桥浍濉区';
    const [areas] = await writeSyntheticCity(city, 'shapefile');
    const zip = await JSZip.loadAsync(areas!.data as Uint8Array);
    expect(Object.keys(zip.files).sort()).toEqual([
      'city-areas.cpg',
      'city-areas.dbf',
      'city-areas.shp',
      'city-areas.shx',
    ]);
    expect(await zip.file('city-areas.cpg')!.async('string')).toBe('GBK');
    const dbf = await zip.file('city-areas.dbf')!.async('uint8array');
    const gbk = encodeGbk('埇桥浍濉区');
    // 埇 is outside GB 2312: GBK's extension area writes it 88 AC.
    expect([...gbk.subarray(0, 2)]).toEqual([0x88, 0xac]);
    const at = dbf.findIndex((_, i) => gbk.every((b, k) => dbf[i + k] === b));
    expect(at).toBeGreaterThan(0);
    expect(new TextDecoder('gbk').decode(gbk)).toBe('埇桥浍濉区');
    expect(() => encodeGbk('🙂')).toThrow(/GBK cannot encode/);
  });
});

describe('realisticCity', () => {
  it('makes 10 districts, 150 streets, 1,500 communities and 15,000 grids with valid, unique codes and names', () => {
    const city = realisticCity();
    const count = (level: string) => city.areas.filter((a) => a.level === level).length;
    expect([count('city'), count('district'), count('street'), count('community'), count('grid')]).toEqual([
      1, 10, 150, 1500, 15000,
    ]);
    expect(new Set(city.areas.map((a) => a.code)).size).toBe(city.areas.length);
    const byParent = new Map<string, Set<string>>();
    for (const a of city.areas) {
      const names = byParent.get(a.parent ?? '') ?? new Set();
      expect(names.has(a.name)).toBe(false);
      byParent.set(a.parent ?? '', names.add(a.name));
      if (a.parent) expect(a.code.startsWith(a.level === 'district' ? '3499' : a.parent)).toBe(true);
    }
    const text = city.areas.map((a) => a.name).join('');
    for (const ch of ['浍', '埇', '濉']) expect(text).toContain(ch);
    expect(realisticCity().areas.slice(0, 50)).toEqual(city.areas.slice(0, 50));
  });
});
