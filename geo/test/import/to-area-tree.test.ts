import { describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../src/import/crs.js';
import { ImportError } from '../../src/import/errors.js';
import { readGeoJson } from '../../src/import/read-geojson.js';
import { levelFromCode, parentFromCode, toAreas } from '../../src/import/to-area-tree.js';
import type { ImportResult } from '../../src/import/types.js';
import { validateHierarchy } from '../../src/validate/hierarchy.js';

type P = [number, number];
const rect = (x0: number, y0: number, x1: number, y1: number): P[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const feature = (properties: Record<string, unknown>, rings: unknown, type = 'Polygon') => ({
  type: 'Feature',
  properties,
  geometry: { type, coordinates: rings },
});
const fc = (...features: unknown[]) => readGeoJson({ type: 'FeatureCollection', features });
const mapping = { code: 'code', name: 'name' };

function thrown(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

// 马号社区 split into two grids, in WGS-84.
const COMMUNITY = rect(116.99, 33.64, 117.0, 33.645);
const WEST = rect(116.99, 33.64, 116.995, 33.645);
const EAST = rect(116.995, 33.64, 117.0, 33.645);

describe('toAreas', () => {
  it('converts GCJ-02 input to WGS-84 and yields a tree that passes hierarchy validation', () => {
    const gcj = (ring: P[]) => [ring.map((p) => fromWgs84(p, 'GCJ02'))];
    const imported = fc(
      feature({ code: '341302002001', name: '马号社区', 全覆盖: '是' }, gcj(COMMUNITY)),
      feature({ code: 341302002001001, name: '马号社区第1网格' }, gcj(WEST)),
      feature({ code: '341302002001002', name: '马号社区第2网格' }, gcj(EAST)),
    );
    const { areas, crs } = toAreas(imported, { mapping: { ...mapping, fullCover: '全覆盖' }, crs: 'GCJ02' });
    expect(crs).toBe('GCJ02');
    expect(areas.map((a) => [a.code, a.level, a.parent, a.fullCover])).toEqual([
      ['341302002001', 'community', '341302002', true],
      ['341302002001001', 'grid', '341302002001', undefined],
      ['341302002001002', 'grid', '341302002001', undefined],
    ]);
    areas[1]!.ring!.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(WEST[i]![0], 6);
      expect(p[1]).toBeCloseTo(WEST[i]![1], 6);
    });
    const tree = [
      { code: '341300', name: '宿州市', level: 'city' as const, parent: null, ring: null },
      { code: '341302', name: '埇桥区', level: 'district' as const, parent: '341300', ring: null },
      { code: '341302002', name: '东关街道', level: 'street' as const, parent: '341302', ring: null },
      ...areas,
    ];
    expect(validateHierarchy({ areas: tree })).toEqual([]);
  });

  it('refuses undeclared coordinates in China unless a CRS is given, among the other problems', () => {
    const e = thrown(() => toAreas(fc(feature({ code: '341302002001001', name: '网格' }, [WEST])), { mapping }));
    expect(e.issues.map((i) => i.kind)).toEqual(['crs-unknown']);
    expect(e.message).toMatch(/--crs/);
    const abroad = fc(feature({ code: '341302002001001', name: 'grid' }, [rect(2.35, 48.85, 2.36, 48.86)]));
    expect(toAreas(abroad, { mapping }).crs).toBe('WGS84');
  });

  it('reports every problem of every feature at once, by feature index', () => {
    const bowTie = [
      [
        [116.99, 33.64],
        [116.995, 33.645],
        [116.995, 33.64],
        [116.99, 33.645],
        [116.99, 33.64],
      ],
    ];
    const e = thrown(() =>
      toAreas(
        fc(
          feature({ code: '341302002001001', name: '第1网格' }, [WEST]),
          feature({ code: '341302002001002', name: '第2网格' }, bowTie),
          feature({ name: '无编码' }, [EAST.slice(0, 4)]),
          feature({ code: '341302002001001', name: '重复' }, [EAST]),
          feature({ code: '341302002001004', name: '点' }, [116.99, 33.64], 'Point'),
          feature({ code: '341302002001005', name: '多块' }, [[EAST], [WEST]], 'MultiPolygon'),
          feature({ code: '341302002001006', name: '有洞' }, [COMMUNITY, [...WEST].reverse()]),
          { type: 'Feature', properties: { code: '341302002001007', name: '无边界网格' }, geometry: null },
          { type: 'Feature', properties: { code: '341302002001', name: '社区可由网格拼出' }, geometry: null },
          feature({ code: '34130200200100', name: '层级不明' }, [WEST]),
        ),
        { mapping, crs: 'WGS84' },
      ),
    );
    expect(e.issues.map((i) => [i.featureIndex, i.kind])).toEqual([
      [1, 'self-intersection'],
      [2, 'missing-code'],
      [2, 'bad-level'],
      [2, 'unclosed'],
      [3, 'duplicate-code'],
      [4, 'not-polygon'],
      [5, 'not-polygon'],
      [6, 'has-holes'],
      [7, 'missing-geometry'],
      [9, 'bad-level'],
    ]);
    expect(e.issues[0]!.message).toMatch(/^第 2 个要素：多边形自相交.* \/ feature 2: polygon self-intersects/);
    expect(e.issues[4]!.message).toContain('与第 1 个要素重复');
  });

  it('reports clockwise rings, or fixes them with the rewind option', () => {
    const cw = fc(feature({ code: '341302002001001', name: '网格' }, [[...WEST].reverse()]));
    expect(thrown(() => toAreas(cw, { mapping, crs: 'WGS84' })).issues[0]!.kind).toBe('winding');
    expect(toAreas(cw, { mapping, crs: 'WGS84', rewind: true }).areas[0]!.ring).toEqual(WEST);
  });

  it('reads levels from a property in Chinese or English, or one level for the file, and parents from a property', () => {
    const imported: ImportResult = fc(
      feature({ c: '341302002001', n: '马号社区', l: '社区', p: '341302002' }, [COMMUNITY]),
      feature({ c: '341302002001001', n: '第1网格', l: 'grid', p: '341302002001' }, [WEST]),
    );
    const { areas } = toAreas(imported, { mapping: { code: 'c', name: 'n', level: 'l', parent: 'p' }, crs: 'WGS84' });
    expect(areas.map((a) => [a.level, a.parent])).toEqual([
      ['community', '341302002'],
      ['grid', '341302002001'],
    ]);
    const single = toAreas(fc(feature({ code: 'G1', name: '网格一' }, [WEST])), {
      mapping,
      level: 'grid',
      crs: 'WGS84',
    });
    expect(single.areas[0]!.level).toBe('grid');
    const badWord = fc(feature({ code: '341302002001001', name: 'x', l: '小区' }, [WEST]));
    expect(thrown(() => toAreas(badWord, { mapping: { ...mapping, level: 'l' }, crs: 'WGS84' })).message).toContain(
      '小区',
    );
  });

  it('derives levels and parents from the code pattern', () => {
    expect(['341300', '341302', '341302002', '341302002001', '341302002001001', '3413'].map(levelFromCode)).toEqual([
      'city',
      'district',
      'street',
      'community',
      'grid',
      null,
    ]);
    expect(parentFromCode('341302', 'district')).toBe('341300');
    expect(parentFromCode('341302002001001', 'grid')).toBe('341302002001');
    expect(parentFromCode('341300', 'city')).toBeNull();
  });
});
