import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersectionArea, ringArea } from '../../src/validate/overlap.js';
import type { Pt } from '../../src/validate/planar.js';

const rect = (x0: number, y0: number, x1: number, y1: number): Pt[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('intersectionArea', () => {
  it('measures hand-computed cases', () => {
    expect(intersectionArea(rect(0, 0, 2, 2), rect(1, 1, 3, 3))).toBeCloseTo(1, 12);
    expect(intersectionArea(rect(0, 0, 1, 1), rect(1, 0, 2, 1))).toBe(0); // neighbours sharing an edge
    expect(intersectionArea(rect(0, 0, 1, 1), rect(1, 1, 2, 2))).toBe(0); // touching at a corner
    expect(intersectionArea(rect(0, 0, 2, 2), rect(0, 0, 2, 2))).toBeCloseTo(4, 12); // identical
    expect(intersectionArea(rect(0, 0, 4, 4), rect(1, 1, 2, 3))).toBeCloseTo(2, 12); // contained
    expect(intersectionArea(rect(0, 0, 2, 2), [...rect(0, 0, 1, 2)].reverse())).toBeCloseTo(2, 12); // either winding
    // A U shape and a bar across its arms: the notch (1..2 × 1..3) is not counted.
    const u: Pt[] = [
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ];
    expect(ringArea(u)).toBe(7);
    expect(intersectionArea(u, rect(0, 2, 3, 2.5))).toBeCloseTo(1, 12);
    // A triangle over a square: half of it.
    expect(
      intersectionArea(rect(0, 0, 2, 2), [
        [0, 0],
        [2, 0],
        [0, 2],
        [0, 0],
      ]),
    ).toBeCloseTo(2, 12);
  });

  it('equals the exact overlap of random axis-aligned rectangles, shared edges included', () => {
    const r = fc
      .tuple(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
      )
      .map(([x, y, w, h]) => [x, y, x + w, y + h] as const);
    fc.assert(
      fc.property(r, r, (a, b) => {
        const want =
          Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) *
          Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        const got = intersectionArea(rect(...a), rect(...b));
        return Math.abs(got - want) < 1e-9 && Math.abs(intersectionArea(rect(...b), rect(...a)) - want) < 1e-9;
      }),
      { numRuns: 500 },
    );
  });
});
