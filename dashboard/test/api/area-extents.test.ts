import { type Area, pointInRing, type Ring } from '@linli/geo';
import { describe, expect, it } from 'vitest';
import { areaExtents } from '../../src/api/area-extents.js';

const O = [116.95, 33.6] as const;
/** A ring of unit squares' corners, 0.01° a unit, from the origin above. */
const ring = (...pts: [number, number][]): Ring =>
  [...pts, pts[0]!].map(([x, y]) => [O[0] + x * 0.01, O[1] + y * 0.01] as [number, number]);
const square = (x: number, y: number) => ring([x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1]);
const area = (code: string, level: Area['level'], parent: string | null, r: Ring | null): Area => ({
  code,
  name: code,
  level,
  parent,
  ring: r,
});

// An L-shaped street (its vertices' mean and its box's centre both fall outside it), holding a ring-less community
// of five grids along the L; and a ring-less street holding one square community of one grid.
const L = ring([0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3]);
const GRIDS: [number, number][] = [
  [0, 0],
  [1, 0],
  [2, 0],
  [0, 1],
  [0, 2],
];
const AREAS: Area[] = [
  area('341301', 'district', null, null),
  area('341301001', 'street', '341301', L),
  area('341301001001', 'community', '341301001', null),
  ...GRIDS.map(([x, y], i) =>
    area(`341301001001${String(i + 1).padStart(3, '0')}`, 'grid', '341301001001', square(x, y)),
  ),
  area('341301002', 'street', '341301', null),
  area('341301002001', 'community', '341301002', square(5, 0)),
  area('341301002001001', 'grid', '341301002001', square(5, 0)),
];

describe('areaExtents: where the map puts a name', () => {
  const extents = areaExtents({ disclaimer: '', seed: 0, areas: AREAS });
  const anchor = (code: string) => extents.get(code)!.anchor!;

  it('puts every district, street and community name inside its own area, whatever its shape', () => {
    const street = anchor('341301001');
    expect(pointInRing(street[0], street[1], L)).toBe(true);
    // Why not the easy points: the L's box centre and its vertices' mean are both outside it.
    const box = extents.get('341301001')!.own!;
    expect(pointInRing((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, L)).toBe(false);
    const mean = [L.slice(0, -1).reduce((s, p) => s + p[0], 0) / 6, L.slice(0, -1).reduce((s, p) => s + p[1], 0) / 6];
    expect(pointInRing(mean[0]!, mean[1]!, L)).toBe(false);
    // A ring-less community and a ring-less street are named inside one of their own grids.
    for (const code of ['341301001001', '341301002', '341301']) {
      const [x, y] = anchor(code);
      const inGrid = AREAS.some((g) => g.level === 'grid' && g.code.startsWith(code) && pointInRing(x, y, g.ring!));
      expect(inGrid, code).toBe(true);
    }
  });

  it('keeps a convex community at the mean of its ring, and names no grid', () => {
    expect(anchor('341301002001')).toEqual([O[0] + 0.055, O[1] + 0.005].map((v) => Math.round(v * 1e6) / 1e6));
    expect(extents.get('341301002001001')!.anchor).toBeUndefined();
  });
});
