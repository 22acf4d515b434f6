import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../src/import/crs.js';
import { formatOf, importCity } from '../../src/import/import-city.js';
import { type CitySplit, realisticCity } from '../../src/testing/realistic-city.js';
import { SYNTHETIC_CITY_MAPPING, writeSyntheticCity } from '../../src/testing/write-city.js';

const SMALL: CitySplit = { districts: [2, 1], streets: [2, 1], communities: [2, 2], grids: [2, 2] };
const small = (seed = 3) => realisticCity({ seed, split: SMALL });
const json = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const poly = (ring: [number, number][], props: Record<string, unknown>) => ({
  type: 'Feature',
  properties: props,
  geometry: { type: 'Polygon', coordinates: [ring] },
});

describe('importCity', () => {
  it('imports a city from GBK Shapefiles in GCJ-02 (areas, facility points, road lines), and passes it', async () => {
    const city = small();
    const files = await writeSyntheticCity(city, 'shapefile');
    const stages = new Set<string>();
    const r = await importCity(files, {
      mapping: SYNTHETIC_CITY_MAPPING,
      crs: 'GCJ02',
      onProgress: (s) => stages.add(s),
    });
    expect(r.report.issues).toEqual([]);
    expect(r.report.ok).toBe(true);
    expect(r.report.counts).toEqual({
      city: 1,
      district: 2,
      street: 4,
      community: 16,
      grid: 64,
      facilities: city.facilities.length,
      roads: city.roads.features.length,
    });
    expect(r.crs).toBe('GCJ02');
    expect(r.sources.map((s) => [s.format, s.role, s.crs])).toEqual([
      ['shapefile', 'areas', 'GCJ02'],
      ['shapefile', 'facilities', 'GCJ02'],
      ['shapefile', 'roads', 'GCJ02'],
    ]);
    expect(r.sources.map((s) => s.encoding)).toEqual(['gbk', 'gbk', 'gbk']);
    expect(r.roads!.features.map((f) => f.properties.name)).toEqual(city.roads.features.map((f) => f.properties.name));
    expect([...stages]).toEqual(['read', 'map', 'codes', 'shapes', 'families', 'overlaps', 'facilities', 'roads']);
    expect(r.facilities!.map((f) => f.label)).toEqual(city.facilities.map((f) => f.kind));
    expect(new Set(r.facilities!.map((f) => f.kind))).toEqual(
      new Set(['elderly-care', 'clinic', 'canteen', 'convenience', 'park']),
    );
  });

  it('refuses an invalid city with every problem in the report, counted per kind, in Chinese and English', async () => {
    const city = small();
    const [a, b] = city.areas.filter((x) => x.level === 'grid');
    b!.ring = a!.ring; // b now lies on a: an overlap, and b's old place is a gap
    b!.name = a!.name; // same name under the same parent
    const street = city.areas.find((x) => x.level === 'street')!;
    const bad = {
      code: `${street.code}01`,
      name: '新社区',
      level: 'community' as const,
      parent: street.code,
      ring: null,
    };
    city.areas.push(bad);
    const files = await writeSyntheticCity(city, 'geojson');
    const r = await importCity(files.slice(0, 1), { mapping: SYNTHETIC_CITY_MAPPING, crs: 'GCJ02' });
    expect(r.report.ok).toBe(false);
    const kinds = Object.fromEntries(Object.entries(r.report.byKind).map(([k, v]) => [k, [v.count, v.severity]]));
    expect(kinds['overlap']).toEqual([1, 'error']);
    expect(kinds['gap']).toEqual([1, 'error']);
    expect(kinds['duplicate-name']).toEqual([1, 'warning']);
    expect(kinds['bad-code']).toEqual([1, 'error']);
    const overlap = r.report.issues.find((i) => i.kind === 'overlap')!;
    expect(overlap.message).toBe(`${overlap.zh} / ${overlap.en}`);
    expect(overlap.zh).toMatch(/与同级 .+（\d{15}） 重叠约 \d+ m²/);
    expect(overlap.en).toMatch(/overlaps .+ \(\d{15}\), of the same level/);
    expect(r.report.errors).toBe(r.report.issues.filter((i) => i.severity === 'error').length);
    expect(r.report.summary[0]).toMatch(/^.+：\d+ 处 \/ .+: \d+$/);
    expect(r.report.summary.at(-1)).toBe(
      '同一上级下重名：1 处（警告） / duplicate names under one parent: 1 (warning)',
    );
  });

  it('names the file and feature of a reading problem and does not validate a half-read tree', async () => {
    const city = small();
    const [areas] = await writeSyntheticCity(city, 'geojson', { crs: 'WGS84' });
    const broken = json([
      poly(
        [
          [117, 33.6],
          [117.01, 33.6],
          [117.01, 33.61],
          [117, 33.6],
        ],
        { name: '没有编码' },
      ),
    ]);
    const r = await importCity(
      [areas!, { name: 'extra.geojson', data: broken }, { name: 'oops.kml', data: '<kml><Document>' }],
      { mapping: SYNTHETIC_CITY_MAPPING, crs: 'WGS84' },
    );
    expect(r.report.ok).toBe(false);
    expect(r.areas).toEqual([]);
    const missing = r.report.issues.find((i) => i.kind === 'missing-code')!;
    expect(missing).toMatchObject({ file: 'extra.geojson', featureIndex: 0, severity: 'error' });
    expect(missing.message).toBe('第 1 个要素：缺少编码属性 "code" / feature 1: missing the code property "code"');
    expect(r.report.issues.find((i) => i.kind === 'not-xml')).toMatchObject({ file: 'oops.kml', featureIndex: null });
    expect(r.report.byKind['not-validated']?.count).toBe(1);
  });

  it('refuses coordinates in China in an unknown system unless the crs is given', async () => {
    const [areas] = await writeSyntheticCity(small(), 'geojson');
    const r = await importCity([areas!], { mapping: SYNTHETIC_CITY_MAPPING });
    expect(r.report.ok).toBe(false);
    expect(r.report.issues.map((i) => i.kind)).toContain('crs-unknown');
  });

  it('warns of facilities outside the city and of unknown kinds, and refuses non-points with their index', async () => {
    const city = small();
    const [areas] = await writeSyntheticCity(city, 'geojson', { crs: 'WGS84' });
    const inside = city.facilities[0]!.position;
    const far = fromWgs84([inside[0] + 1, inside[1]], 'WGS84');
    const facilities = json([
      {
        type: 'Feature',
        properties: { name: '甲', kind: '长者食堂' },
        geometry: { type: 'Point', coordinates: inside },
      },
      {
        type: 'Feature',
        properties: { name: '乙', kind: '快递驿站' },
        geometry: { type: 'Point', coordinates: inside },
      },
      { type: 'Feature', properties: { name: '丙', kind: 'clinic' }, geometry: { type: 'Point', coordinates: far } },
      {
        type: 'Feature',
        properties: { name: '丁', kind: '诊所' },
        geometry: { type: 'LineString', coordinates: [inside, far] },
      },
    ]);
    const r = await importCity([areas!, { name: 'poi.json', data: facilities, role: 'facilities' }], {
      mapping: SYNTHETIC_CITY_MAPPING,
      crs: 'WGS84',
    });
    expect(r.facilities!.map((f) => [f.name, f.kind])).toEqual([
      ['甲', 'canteen'],
      ['乙', '快递驿站'],
      ['丙', 'clinic'],
    ]);
    expect(r.report.issues.map((i) => [i.kind, i.featureIndex, i.severity])).toEqual([
      ['unknown-kind', 1, 'warning'],
      ['facility-outside', 2, 'warning'],
      ['not-point', 3, 'error'],
    ]);
    expect(r.report.ok).toBe(false);
  });

  it('refuses a facility id used in two files, naming the first', async () => {
    const point = (id: string, kind: string) => ({
      type: 'Feature',
      properties: { id, name: kind, kind },
      geometry: { type: 'Point', coordinates: [116.98, 33.64] },
    });
    const r = await importCity(
      [
        { name: '养老.geojson', data: json([point('1', '养老服务站'), point('2', '养老服务站')]), role: 'facilities' },
        { name: '医疗.geojson', data: json([point('1', '卫生室')]), role: 'facilities' },
      ],
      { mapping: SYNTHETIC_CITY_MAPPING, crs: 'WGS84' },
    );
    expect(r.facilities!.map((f) => f.id)).toEqual(['1', '2']);
    expect(r.report.issues.map((i) => [i.kind, i.file, i.featureIndex, i.message])).toEqual([
      [
        'duplicate-id',
        '医疗.geojson',
        0,
        '第 1 个要素：编号 1 与养老.geojson 第 1 个要素重复 / feature 1: id 1 repeats 养老.geojson feature 1',
      ],
    ]);
  });

  it('reads roads as a walking network and refuses a polygon among them', async () => {
    const roads = json([
      {
        type: 'Feature',
        properties: { name: '浍水路' },
        geometry: {
          type: 'LineString',
          coordinates: [
            [116.98, 33.64],
            [116.99, 33.64],
          ],
        },
      },
      {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'MultiLineString',
          coordinates: [
            [
              [116.99, 33.64],
              [116.99, 33.65],
            ],
          ],
        },
      },
      poly(
        [
          [116.98, 33.64],
          [116.99, 33.64],
          [116.99, 33.65],
          [116.98, 33.64],
        ],
        {},
      ),
      { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[116.98, 33.64]] } },
    ]);
    const r = await importCity([{ name: 'roads.geojson', data: roads, role: 'roads' }], {
      mapping: SYNTHETIC_CITY_MAPPING,
      crs: 'GCJ02',
    });
    expect(r.roads!.features.map((f) => [f.properties.name, f.geometry.type])).toEqual([
      ['浍水路', 'LineString'],
      [null, 'MultiLineString'],
    ]);
    // GCJ-02 → WGS-84 moves a point in 宿州 by a few hundred metres.
    const [lng, lat] = r.roads!.features[0]!.geometry.coordinates[0] as [number, number];
    const moved = Math.hypot((116.98 - lng) * 92_600, (33.64 - lat) * 111_000);
    expect(moved).toBeGreaterThan(200);
    expect(moved).toBeLessThan(900);
    expect(r.report.issues.map((i) => [i.kind, i.featureIndex, i.file])).toEqual([
      ['not-line', 2, 'roads.geojson'],
      ['bad-position', 3, 'roads.geojson'],
    ]);
  });

  it('tells the format from the name, else from the first bytes', () => {
    expect(formatOf({ name: 'a.ZIP', data: '' })).toBe('shapefile');
    expect(formatOf({ name: 'a.kml', data: '' })).toBe('kml');
    expect(formatOf({ name: 'upload', data: new Uint8Array([0x50, 0x4b, 3, 4]) })).toBe('shapefile');
    expect(formatOf({ name: 'upload', data: '  <?xml version="1.0"?><kml/>' })).toBe('kml');
    expect(formatOf({ name: 'upload', data: '{"type":"FeatureCollection"}' })).toBe('geojson');
  });
});
