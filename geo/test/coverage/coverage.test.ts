import { describe, expect, it } from 'vitest';
import { computeCoverage, CoverageCalculator, facilitiesKey } from '../../src/coverage/coverage.js';
import { convexHull } from '../../src/coverage/hull.js';
import { gridsBounds, latticeStreets, syntheticFacilities, syntheticHomes } from '../../src/coverage/synthetic.js';
import type { Facility, Home } from '../../src/coverage/types.js';
import { buildWalkGraph } from '../../src/coverage/walk-graph.js';
import { gridsOf } from '../../src/index/grid-index.js';
import { loadDemoCity } from '../../src/load.js';

// The three-node street of isochrone.test.ts: A 33.600 — B 33.605 — C 33.615 on 117°E; 0.001° of latitude = 111.195 m.
const street = buildWalkGraph([
  {
    type: 'LineString',
    coordinates: [
      [117, 33.6],
      [117, 33.605],
      [117, 33.615],
    ],
  },
]);
const clinic: Facility = { id: 'c1', type: 'clinic', position: [117, 33.599] }; // 111.20 m before A
const home = (id: string, lat: number, grid: string, loneElder = false): Home => ({
  id,
  position: [117, lat],
  grid,
  loneElder,
});
// Walked metres to the clinic: 667.17 m to B, then the way north of B (C is farther for all of these).
const homes: Home[] = [
  home('g1-a', 33.605, 'G1', true), // 667.17 m: covered
  home('g1-b', 33.608, 'G1'), // 1,000.76 m: covered
  home('g1-c', 33.60872, 'G1', true), // 1,080.82 m: not covered
  home('g2-a', 33.6087, 'G2', true), // 1,078.59 m: covered
  home('g2-b', 33.6158, 'G2'), // nearest C: 1,779.12 + 88.96 m: not covered
  home('g2-c', 33.6161, 'G2', true), // nearest C: not covered
  home('g2-d', 33.6, 'G2'), // A: 111.20 m: covered
];

describe('coverage per grid', () => {
  it('gives the share of homes and of lone-elder homes within 15 minutes, per grid and type', () => {
    const r = computeCoverage([clinic], homes, street);
    expect(r).toMatchObject({ method: 'walk', minutes: 15, thresholdMetres: 1080 });
    expect(r.grids.map((g) => [g.grid, g.homes, g.loneElders])).toEqual([
      ['G1', 3, 2],
      ['G2', 4, 2],
    ]);
    const [g1, g2] = r.grids;
    expect(g1!.byType.clinic).toEqual({ covered: 2, share: 2 / 3, loneElderCovered: 1, loneElderShare: 0.5 });
    expect(g2!.byType.clinic).toEqual({ covered: 2, share: 0.5, loneElderCovered: 1, loneElderShare: 0.5 });
    // No park at all: nobody is covered.
    expect(g2!.byType.park).toEqual({ covered: 0, share: 0, loneElderCovered: 0, loneElderShare: 0 });
  });

  it('lists the uncovered homes per grid and type, with their hull when they span an area', () => {
    const r = computeCoverage([clinic], homes, street);
    const clinicGaps = r.gaps.filter((g) => g.type === 'clinic');
    expect(clinicGaps.map((g) => [g.grid, g.homes, g.loneElders, g.hull])).toEqual([
      ['G1', ['g1-c'], 1, null],
      ['G2', ['g2-b', 'g2-c'], 1, null],
    ]);
    expect(r.gaps.filter((g) => g.type === 'park').map((g) => g.homes.length)).toEqual([3, 4]);
    expect(r.gaps.map((g) => g.grid)).toEqual([...r.gaps.map((g) => g.grid)].sort());
  });

  it('falls back to straight line × 1.3 without a graph, and says so', () => {
    // Straight line to the clinic × 1.3: g1-a 0.006° → 741.8 m ✓; g1-b 0.009° → 1,301 m ✗; g2-d 0.001° → 144.6 m ✓.
    const r = computeCoverage([clinic], homes, null);
    expect(r.method).toBe('straight-line');
    expect(r.grids.map((g) => g.byType.clinic.covered)).toEqual([1, 1]);
    expect(r.grids[1]!.byType.clinic.loneElderShare).toBe(0);
  });

  it('reports no lone-elder share for a grid without lone elders', () => {
    const r = computeCoverage([clinic], [home('x', 33.6, 'G3')], street);
    expect(r.grids[0]!.byType.clinic).toEqual({ covered: 1, share: 1, loneElderCovered: 0, loneElderShare: null });
  });
});

describe('the coverage cache', () => {
  it('returns the same result object for the same facilities and homes, whatever their order', () => {
    const calc = new CoverageCalculator(street);
    const park: Facility = { id: 'p1', type: 'park', position: [117, 33.615] };
    const first = calc.compute([clinic, park], homes);
    expect(calc.stats).toEqual({ hits: 0, reused: 0, misses: 1 });
    expect(calc.compute([park, { ...clinic, id: 'renamed' }], homes)).toBe(first);
    expect(calc.stats).toEqual({ hits: 1, reused: 0, misses: 1 });
  });

  it('reuses the facilities’ reach for new homes and recomputes when a facility moves', () => {
    const calc = new CoverageCalculator(street, { cacheSize: 1 });
    const first = calc.compute([clinic], homes);
    const more = [...homes, home('g1-d', 33.6, 'G1')];
    const second = calc.compute([clinic], more);
    expect(calc.stats).toEqual({ hits: 0, reused: 1, misses: 1 });
    expect(second.grids[0]!.byType.clinic.covered).toBe(3);
    const moved: Facility = { ...clinic, position: [117, 33.608] };
    expect(facilitiesKey([moved])).not.toBe(facilitiesKey([clinic]));
    const third = calc.compute([moved], more);
    expect(calc.stats.misses).toBe(2);
    expect(third.facilitiesKey).not.toBe(first.facilitiesKey);
    // The cache holds one list: going back to the first clinic computes again.
    calc.compute([clinic], homes);
    expect(calc.stats.misses).toBe(3);
  });
});

describe('coverage of the demo city with made-up facilities, homes and streets', () => {
  it('covers most homes by walking and reports shares between 0 and 1', () => {
    const grids = gridsOf(loadDemoCity());
    const graph = buildWalkGraph(latticeStreets(gridsBounds(grids, 300), 120, 3));
    const facilities = syntheticFacilities(grids, 4);
    const people = syntheticHomes(grids, 3000, 5);
    const walk = computeCoverage(facilities, people, graph);
    expect(walk.grids).toHaveLength(grids.length);
    for (const g of walk.grids)
      for (const t of Object.values(g.byType)) {
        expect(t.share).toBeGreaterThanOrEqual(0);
        expect(t.share).toBeLessThanOrEqual(1);
      }
    const covered = walk.grids.reduce((s, g) => s + g.byType.convenience.covered, 0);
    expect(covered / people.length).toBeGreaterThan(0.5);
    const uncovered = walk.gaps.reduce((s, g) => s + g.homes.length, 0);
    const coveredAll = walk.grids.reduce((s, g) => s + Object.values(g.byType).reduce((a, t) => a + t.covered, 0), 0);
    expect(uncovered + coveredAll).toBe(people.length * 5);
    // Gap hulls are drawn through uncovered homes of their own grid.
    const gap = walk.gaps.find((g) => g.hull !== null)!;
    const at = new Set(people.filter((p) => gap.homes.includes(p.id)).map((p) => p.position.join()));
    expect(gap.hull!.every((p) => at.has(p.join()))).toBe(true);
  });
});

describe('convexHull', () => {
  it('is a closed counter-clockwise ring of the outer points, or null without an area', () => {
    const hull = convexHull([
      [0, 0],
      [2, 0],
      [1, 1],
      [2, 2],
      [0, 2],
      [1, 0],
    ]);
    expect(hull).toEqual([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ]);
    expect(
      convexHull([
        [0, 0],
        [1, 1],
      ]),
    ).toBeNull();
    expect(
      convexHull([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    ).toBeNull();
  });
});
