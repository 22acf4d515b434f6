import { describe, expect, it } from 'vitest';
import { cityCoverage, sampleHomes } from '../../src/coverage/city-coverage.js';
import { computeCoverage } from '../../src/coverage/coverage.js';
import { buildWalkGraph } from '../../src/coverage/walk-graph.js';
import { serviceTypeOf } from '../../src/import/to-facilities.js';
import { pointInRing, ringCentroid } from '../../src/polygon.js';
import { realisticCity } from '../../src/testing/realistic-city.js';

// 576 grids: more than one batch of 500.
const city = realisticCity({
  seed: 5,
  split: { districts: [2, 2], streets: [2, 2], communities: [3, 2], grids: [2, 3] },
});
const grids = city.areas.filter((a) => a.level === 'grid');
const facilities = city.facilities.map((f) => ({
  id: f.id,
  kind: serviceTypeOf(f.kind) ?? f.kind,
  position: f.position,
}));

describe('sampleHomes', () => {
  it('puts about the asked number of homes inside each grid, the same every time', () => {
    const homes = sampleHomes(grids, 16);
    const byGrid = new Map(grids.map((g) => [g.code, g]));
    const counts = new Map<string, number>();
    for (const h of homes) {
      const g = byGrid.get(h.grid)!;
      expect(pointInRing(h.position[0], h.position[1], g.ring!)).toBe(true);
      counts.set(h.grid, (counts.get(h.grid) ?? 0) + 1);
    }
    expect(counts.size).toBe(grids.length);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThanOrEqual(8);
      expect(n).toBeLessThanOrEqual(32);
    }
    expect(sampleHomes(grids, 16)).toEqual(homes);
  });

  it('gives a grid no lattice point falls in one home at its centroid', () => {
    // A thin chevron: its two arms pass between the 7 × 7 cell centres of its bounding box.
    const at = (x: number, y: number): [number, number] => [117 + x * 0.01, 33.6 + y * 0.01];
    const ring = [at(0, 0), at(0.5, 1), at(1, 0), at(0.5, 0.95), at(0, 0)];
    const chevron = { code: '349901001001001', name: '人字网格', level: 'grid' as const, parent: null, ring };
    const homes = sampleHomes([chevron], 1);
    expect(homes).toHaveLength(1);
    expect(homes[0]!.id).toBe('349901001001001#1');
    expect(homes[0]!.position).toEqual(ringCentroid(ring));
  });
});

describe('cityCoverage', () => {
  it('equals one computeCoverage over the same sampled homes, though it works in batches with progress', () => {
    const stages: string[] = [];
    const r = cityCoverage(city.areas, facilities, city.roads, {
      onProgress: (s, d, t) => stages.push(`${s} ${d}/${t}`),
    });
    const homes = sampleHomes([...grids].sort((a, b) => (a.code < b.code ? -1 : 1)));
    const once = computeCoverage(
      facilities.map((f) => ({ id: f.id, type: f.kind as never, position: f.position })),
      homes,
      buildWalkGraph(city.roads),
    );
    expect(r.method).toBe('walk');
    expect(r.sampled).toBe(true);
    expect(r.homes).toBe(homes.length);
    expect(r.grids).toEqual(once.grids);
    expect(r.gaps).toEqual(once.gaps);
    expect(r.facilitiesKey).toBe(once.facilitiesKey);
    expect(r.grids).toHaveLength(grids.length);
    expect(stages).toEqual([
      'graph 0/1',
      'graph 1/1',
      'homes 0/576',
      'homes 500/576',
      'homes 576/576',
      'coverage 0/576',
      'coverage 500/576',
      'coverage 576/576',
    ]);
  });

  it('counts only facilities of a service type, uses given homes, and falls back to straight lines without roads', () => {
    const some = [...facilities.slice(0, 40), { id: 'x', kind: '快递驿站', position: facilities[0]!.position }];
    const homes = sampleHomes(grids.slice(0, 3), 4);
    const r = cityCoverage(city.areas, some, null, { homes });
    expect(r.method).toBe('straight-line');
    expect(r.sampled).toBe(false);
    expect(r.uncounted).toBe(1);
    expect(r.homes).toBe(homes.length);
    expect(r.grids.map((g) => g.grid)).toEqual(
      grids
        .slice(0, 3)
        .map((g) => g.code)
        .sort(),
    );
  });
});
