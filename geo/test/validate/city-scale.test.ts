import { describe, expect, it } from 'vitest';
import { realisticCity } from '../../src/testing/realistic-city.js';
import type { Ring } from '../../src/types.js';
import { type HierarchyArea, validateHierarchy } from '../../src/validate/hierarchy.js';

/** 2 districts, 8 streets, 32 communities, 128 grids: every level has rings and is full cover. */
const SMALL = { districts: [2, 1], streets: [2, 2], communities: [2, 2], grids: [2, 2] } as const;
const city = () =>
  realisticCity({
    seed: 7,
    split: {
      districts: [...SMALL.districts],
      streets: [...SMALL.streets],
      communities: [...SMALL.communities],
      grids: [...SMALL.grids],
    },
  }).areas;
const kinds = (areas: HierarchyArea[]) => validateHierarchy({ areas }).map((i) => [i.code, i.kind]);

const gridsOf = (areas: HierarchyArea[]) => areas.filter((a) => a.level === 'grid');

/** A ring's vertex moved by a share of the way towards `to`. */
function pull(ring: Ring, k: number, to: [number, number], share: number): Ring {
  const out = ring.map((p) => [p[0], p[1]] as [number, number]);
  const p = out[k]!;
  out[k] = [p[0] + (to[0] - p[0]) * share, p[1] + (to[1] - p[1]) * share];
  if (k === 0) out[out.length - 1] = out[0]!;
  return out;
}

describe('validateHierarchy on a realistic city', () => {
  it('passes the generated city, every level full cover', () => {
    const areas = city();
    expect(areas.filter((a) => a.level === 'district')).toHaveLength(2);
    expect(gridsOf(areas)).toHaveLength(128);
    expect(validateHierarchy({ areas })).toEqual([]);
  });

  it('passes the full-size city: 10 districts, 150 streets, 1,500 communities, 15,000 grids', () => {
    const areas = realisticCity().areas;
    expect(areas).toHaveLength(1 + 10 + 150 + 1500 + 15000);
    expect(validateHierarchy({ areas })).toEqual([]);
  });

  it('finds an overlap, the gap it leaves and the child it pushes outside its parent', () => {
    const areas = city();
    const grid = gridsOf(areas)[5]!;
    const centre = grid
      .ring!.slice(0, 4)
      .reduce<[number, number]>((s, p) => [s[0] + p[0] / 4, s[1] + p[1] / 4], [0, 0]);
    // Pull one corner away from the grid's centre: it now reaches into neighbours and,
    // at the community's edge, out of its parent; the neighbours lose nothing, so no gap.
    const moved = grid.ring!.findIndex(
      (p) =>
        areas.filter((a) => a.level === 'grid' && a.ring!.some((q) => q[0] === p[0] && q[1] === p[1])).length === 4,
    );
    expect(moved).toBeGreaterThanOrEqual(0);
    const p = grid.ring![moved]!;
    grid.ring = pull(grid.ring!, moved, [2 * p[0] - centre[0], 2 * p[1] - centre[1]], 0.4);
    const found = validateHierarchy({ areas });
    const overlaps = found.filter((i) => i.kind === 'overlap');
    expect(overlaps.length).toBeGreaterThanOrEqual(1);
    for (const o of overlaps) expect([o.code, o.other]).toContain(grid.code);
    for (const i of found) expect(['overlap', 'outside-parent']).toContain(i.kind);
  });

  it('finds the gap a missing grid leaves in its full-cover community', () => {
    const areas = city();
    const gone = gridsOf(areas)[9]!;
    expect(kinds(areas.filter((a) => a !== gone))).toEqual([[gone.parent, 'gap']]);
  });

  it('finds bad codes, duplicate codes and duplicate names under one parent', () => {
    const areas = city();
    const [g1, g2, g3] = gridsOf(areas);
    g2!.name = g1!.name;
    const sameNameElsewhere = gridsOf(areas).find((g) => g.parent !== g1!.parent)!;
    sameNameElsewhere.name = g1!.name; // a namesake under another parent is fine
    g3!.code = `${g3!.code.slice(0, -1)}x`;
    const copy = { ...areas.find((a) => a.level === 'community')! };
    const found = kinds([...areas, copy]);
    expect(found).toContainEqual([g2!.code, 'duplicate-name']);
    expect(found).toContainEqual([g3!.code, 'bad-code']);
    expect(found).toContainEqual([copy.code, 'duplicate-code']);
    // The copied community repeats its own name too; the namesake under another parent does not count.
    expect(found.filter(([, k]) => k === 'duplicate-name')).toEqual([
      [g2!.code, 'duplicate-name'],
      [copy.code, 'duplicate-name'],
    ]);
    const dup = validateHierarchy({ areas }).find((i) => i.kind === 'duplicate-name')!;
    expect(dup.zh).toBe(`${g2!.name}（${g2!.code}）：与同一上级下的 ${g1!.code} 同名`);
    expect(dup.en).toBe(`${g2!.name} (${g2!.code}): has the same name as ${g1!.code} under the same parent`);
    expect(dup.message).toBe(`${dup.zh} / ${dup.en}`);
  });

  it('passes and fails the same with dense, bulging boundaries (rings of hundreds of vertices, indexed)', () => {
    const dense = () =>
      realisticCity({
        seed: 7,
        densify: 8,
        split: { districts: [2, 1], streets: [2, 2], communities: [2, 2], grids: [2, 2] },
      }).areas;
    const areas = dense();
    expect(Math.max(...areas.map((a) => a.ring!.length))).toBeGreaterThan(300);
    expect(validateHierarchy({ areas })).toEqual([]);
    const gone = gridsOf(areas)[20]!;
    expect(kinds(areas.filter((a) => a !== gone))).toEqual([[gone.parent, 'gap']]);
    // Move the middle of one bulging edge of an inner grid 30 % further from its chord (≈ 3 m): into
    // the neighbour (an overlap) or away from it (a gap in the full-cover community), past the 1 m tolerance.
    const moved = dense();
    const grid = gridsOf(moved)[21]!;
    const [a, b, c] = [grid.ring![0]!, grid.ring![4]!, grid.ring![8]!];
    const mid = [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2];
    grid.ring = grid.ring!.map((p, k) =>
      k === 4 ? [b[0] + (b[0] - mid[0]!) * 0.3, b[1] + (b[1] - mid[1]!) * 0.3] : p,
    );
    const found = validateHierarchy({ areas: moved });
    expect(found.length).toBeGreaterThan(0);
    for (const i of found) {
      expect(['overlap', 'gap', 'outside-parent']).toContain(i.kind);
      expect([grid.code, grid.parent]).toContain(i.kind === 'overlap' && i.code !== grid.code ? i.other : i.code);
    }
  });

  it('reports progress through every stage, ending with done = total', () => {
    const calls: [string, number, number][] = [];
    validateHierarchy({ areas: city() }, { onProgress: (s, d, t) => calls.push([s, d, t]) });
    const stages = [...new Set(calls.map(([s]) => s))];
    expect(stages).toEqual(['codes', 'shapes', 'families', 'overlaps']);
    for (const stage of stages) {
      const mine = calls.filter(([s]) => s === stage);
      const done = mine.map(([, d]) => d);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(mine.at(-1)![1]).toBe(mine.at(-1)![2]);
    }
  });
});
