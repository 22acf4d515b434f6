import fc from 'fast-check';
import { describe, it } from 'vitest';
import { validatePolygon } from '../../src/validate/geometry.js';

type P = [number, number];

describe('validatePolygon properties', () => {
  /** n distinct angles (tenths of a degree) on a random ellipse, in order: a convex, counter-clockwise ring. */
  const onEllipse = (minLength: number, maxLength: number) =>
    fc
      .record({
        angles: fc.uniqueArray(fc.integer({ min: 0, max: 3599 }), { minLength, maxLength }),
        cx: fc.double({ min: -170, max: 170, noNaN: true }),
        cy: fc.double({ min: -80, max: 80, noNaN: true }),
        rx: fc.double({ min: 1e-4, max: 5, noNaN: true }),
        ry: fc.double({ min: 1e-4, max: 5, noNaN: true }),
      })
      .map(({ angles, cx, cy, rx, ry }): P[] =>
        [...angles]
          .sort((a, b) => a - b)
          .map((t) => [cx + rx * Math.cos((t * Math.PI) / 1800), cy + ry * Math.sin((t * Math.PI) / 1800)]),
      );

  it('passes every random convex polygon', () => {
    fc.assert(fc.property(onEllipse(3, 60), (pts) => validatePolygon([[...pts, pts[0]!]]).length === 0));
  });

  it('finds the crossing in every bow-tie made by swapping two corners of a convex quadrilateral', () => {
    fc.assert(
      fc.property(onEllipse(4, 4), ([a, b, c, d]) => {
        const issues = validatePolygon([[a!, c!, b!, d!, a!]]);
        return issues.length === 1 && issues[0]!.kind === 'self-intersection';
      }),
    );
  });
});
