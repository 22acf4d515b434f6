import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PointIndex } from '../../src/coverage/geodesy.js';
import {
  DETOUR_FACTOR,
  distancesToNearest,
  nodeDistances,
  snapToGraph,
  straightLineMetres,
  walkableMetres,
  walkMinutes,
} from '../../src/coverage/isochrone.js';
import { MinHeap } from '../../src/coverage/min-heap.js';
import { buildWalkGraph } from '../../src/coverage/walk-graph.js';

// Hand arithmetic on the 6,371,008.8 m sphere: 0.001° of latitude = 111.195 m.
const M = 111.195; // metres per 0.001° of latitude
const pts = (...p: [number, number][]) => Float64Array.from(p.flat());

describe('walking distances on a three-node street', () => {
  // A (33.600) — 555.98 m — B (33.605) — 1,111.95 m — C (33.615), all on the meridian 117°E.
  const graph = buildWalkGraph([
    {
      type: 'LineString',
      coordinates: [
        [117, 33.6],
        [117, 33.605],
        [117, 33.615],
      ],
    },
  ]);
  // The facility stands 0.001° south of A: it walks 111.20 m to reach A.
  const facility = pts([117, 33.599]);

  it('gives every node its distance from the facility, snap included', () => {
    const dist = nodeDistances(graph, snapToGraph(graph, facility));
    expect(dist[0]).toBeCloseTo(1 * M, 0); // 111.20
    expect(Math.abs(dist[1]! - 6 * M)).toBeLessThan(0.5); // 111.20 + 555.98 = 667.17
    expect(Math.abs(dist[2]! - 16 * M)).toBeLessThan(0.5); // 667.17 + 1,111.95 = 1,779.12
    expect([...nodeDistances(graph, snapToGraph(graph, facility), 1000)]).toEqual([dist[0], dist[1], Infinity]);
  });

  it('walks a home to its nearest node and adds its snap distance', () => {
    // Homes 0.003°, 0.0037° and 0.00372° north of B: nearest node B (C is farther).
    const homes = pts([117, 33.608], [117, 33.6087], [117, 33.60872]);
    const metres = distancesToNearest(graph, facility, homes);
    expect(Math.abs(metres[0]! - (6 + 3) * M)).toBeLessThan(0.5); // 1,000.76 m
    expect(Math.abs(metres[1]! - (6 + 3.7) * M)).toBeLessThan(0.5); // 1,078.59 m
    expect(Math.abs(metres[2]! - (6 + 3.72) * M)).toBeLessThan(0.5); // 1,080.82 m
    // 15 minutes at 1.2 m/s is 1,080 m: the second home is inside, the third just outside.
    expect(walkableMetres(15)).toBe(1080);
    expect(walkMinutes(1080)).toBe(15);
    const within = distancesToNearest(graph, facility, homes, walkableMetres(15));
    expect([...within].map(Number.isFinite)).toEqual([true, true, false]);
  });

  it('leaves everything unreachable when there is no facility', () => {
    expect([...distancesToNearest(graph, pts(), pts([117, 33.6]))]).toEqual([Infinity]);
  });
});

describe('the straight-line fallback', () => {
  it('is the haversine distance to the nearest facility × 1.3', () => {
    expect(DETOUR_FACTOR).toBe(1.3);
    const facilities = pts([117, 33.6], [117.5, 34]);
    // North 0.005°: 555.98 m × 1.3 = 722.77 m. East 0.01° along 33.6°N: 6,371,008.8 × cos 33.6° × 0.01 × π/180 = 926.17 m,
    // × 1.3 = 1,204.02 m. North 0.00747° and 0.00748°: 830.63 m and 831.74 m, × 1.3 = 1,079.82 m and 1,081.26 m.
    const homes = pts([117, 33.605], [117.01, 33.6], [117, 33.60747], [117, 33.60748]);
    const metres = straightLineMetres(new PointIndex(facilities), homes);
    const expected = [722.77, 1204.02, 1079.82, 1081.26];
    expected.forEach((m, i) => expect(Math.abs(metres[i]! - m)).toBeLessThan(0.5));
    expect([...distancesToNearest(null, facilities, homes, 1080)].map(Number.isFinite)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('Dijkstra', () => {
  it('pops a heap in key order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true })), (keys) => {
        const heap = new MinHeap(1);
        keys.forEach((k, i) => heap.push(k, i));
        const popped: number[] = [];
        while (heap.length > 0) popped.push(keys[heap.pop()]!);
        expect(popped).toEqual([...keys].sort((a, b) => a - b));
      }),
    );
  });

  it('agrees with Bellman–Ford on random street networks', () => {
    // Streets between random crossings of a 6 × 6 lattice (0.001° apart); sources at random crossings, on a street or not.
    const crossing = fc.tuple(fc.nat(5), fc.nat(5)).map(([i, j]) => [117 + i * 0.001, 33.6 + j * 0.001]);
    fc.assert(
      fc.property(
        fc.array(fc.array(crossing, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 20 }),
        fc.array(crossing, { minLength: 1, maxLength: 3 }),
        fc.option(fc.double({ min: 50, max: 500, noNaN: true }), { nil: undefined }),
        (lines, sources, max) => {
          const graph = buildWalkGraph(lines.map((coordinates) => ({ type: 'LineString' as const, coordinates })));
          const snapped = snapToGraph(graph, Float64Array.from(sources.flat()));
          const want = new Float64Array(graph.nodeCount).fill(Infinity);
          snapped.node.forEach((k, i) => (want[k] = Math.min(want[k]!, snapped.metres[i]!)));
          for (let round = 0; round < graph.nodeCount; round++)
            for (let k = 0; k < graph.nodeCount; k++)
              for (let e = graph.offsets[k]!; e < graph.offsets[k + 1]!; e++)
                want[graph.targets[e]!] = Math.min(want[graph.targets[e]!]!, want[k]! + graph.metres[e]!);
          const got = nodeDistances(graph, snapped, max);
          want.forEach((d, k) => {
            const expected = max === undefined || d <= max ? d : Infinity;
            if (Number.isFinite(expected)) expect(got[k]).toBeCloseTo(expected, 6);
            else expect(got[k]).toBe(Infinity);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
