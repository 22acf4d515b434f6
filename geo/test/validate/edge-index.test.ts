import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingEdges } from '../../src/validate/edge-index.js';
import { intersectionArea, ringArea } from '../../src/validate/overlap.js';
import {
  dedupe,
  distanceToSegment,
  locate,
  orient,
  type Pt,
  segmentsTouch,
  selfCrossings,
} from '../../src/validate/planar.js';

/** A star-shaped ring of n vertices (simple, often concave) from radii in [0.3, 1] around (0, 0), closed. */
const star = (radii: number[], scale = 100): Pt[] => {
  const ring = radii.map((r, k): Pt => {
    const a = (2 * Math.PI * k) / radii.length;
    return [scale * r * Math.cos(a), scale * r * Math.sin(a)];
  });
  return [...ring, ring[0]!];
};
const radii = (min: number, max: number) =>
  fc.array(fc.double({ min: 0.3, max: 1, noNaN: true }), { minLength: min, maxLength: max });
const point = fc.tuple(
  fc.double({ min: -120, max: 120, noNaN: true }),
  fc.double({ min: -120, max: 120, noNaN: true }),
);

/** The reference: every pair of edges, as selfCrossings did before it had an index. */
function bruteCrossings(ring: readonly Pt[]): { i: number; j: number; count: number } | null {
  const v = dedupe(ring);
  v.pop();
  const m = v.length;
  let first: { i: number; j: number } | null = null;
  let count = 0;
  for (let i = 0; i < m; i++) {
    const [a, b, c] = [v[i]!, v[(i + 1) % m]!, v[(i + 2) % m]!];
    if (orient(a, b, c) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0) {
      count++;
      first ??= { i, j: (i + 1) % m };
    }
    for (let j = i + 2; j < m; j++) {
      if (i === 0 && j === m - 1) continue;
      if (!segmentsTouch(a, b, v[j]!, v[(j + 1) % m]!)) continue;
      count++;
      first ??= { i, j };
    }
  }
  return first && { ...first, count };
}

describe('RingEdges (an R-tree over a ring’s edges)', () => {
  it('answers locate, distance and crossings exactly as a loop over every edge, on rings big enough to be indexed', () => {
    fc.assert(
      fc.property(radii(48, 400), fc.array(point, { minLength: 1, maxLength: 30 }), (rs, points) => {
        const ring = star(rs);
        const edges = new RingEdges(ring);
        for (const p of points) {
          expect(edges.locate(p)).toBe(locate(p, ring));
          expect(edges.locate(p, 0.5)).toBe(locate(p, ring, 0.5));
          let d = Infinity;
          for (let i = 0; i + 1 < ring.length; i++) d = Math.min(d, distanceToSegment(p, ring[i]!, ring[i + 1]!));
          expect(edges.distance(p)).toBeCloseTo(d, 9);
          const xs = edges.crossings(p[1]);
          expect(xs.length % 2).toBe(0);
          expect(xs.filter((x) => x < p[0]).length % 2 === 1).toBe(locate(p, ring) === 'in');
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('selfCrossings with an index', () => {
  it('finds the same first pair and count as the all-pairs loop, on simple and on tangled rings', () => {
    fc.assert(
      fc.property(radii(64, 300), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }), (rs, swaps) => {
        const ring = star(rs).slice(0, -1);
        // Swapping vertices tangles the ring (or not, if they are neighbours): both must agree either way.
        for (const [a, b] of swaps) {
          const [i, j] = [a % ring.length, b % ring.length];
          [ring[i], ring[j]] = [ring[j]!, ring[i]!];
        }
        const closed = [...ring, ring[0]!];
        const got = selfCrossings(closed);
        const want = bruteCrossings(closed);
        expect(got && { i: got.i, j: got.j, count: got.count }).toEqual(want);
      }),
      { numRuns: 80 },
    );
  });
});

describe('intersectionArea on large rings', () => {
  it('gives a ring its own area with itself, and halves that tile it their own areas and nothing between them', () => {
    fc.assert(
      fc.property(radii(60, 500), (rs) => {
        const ring = star(rs);
        const area = ringArea(ring);
        expect(intersectionArea(ring, ring)).toBeCloseTo(area, 6);
        // Cut the star along the x axis through two of its vertices: the two halves tile it.
        const n = rs.length - (rs.length % 2);
        const full = star(rs.slice(0, n));
        const top = [[0, 0] as Pt, ...full.slice(0, n / 2 + 1), [0, 0] as Pt];
        const bottom = [[0, 0] as Pt, ...full.slice(n / 2, n + 1), [0, 0] as Pt];
        expect(intersectionArea(top, bottom)).toBeCloseTo(0, 6);
        expect(intersectionArea(top, full)).toBeCloseTo(ringArea(top), 6);
        expect(ringArea(top) + ringArea(bottom)).toBeCloseTo(ringArea(full), 6);
      }),
      { numRuns: 40 },
    );
  });
});
