import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppress } from '../../src/aggregate/suppress.js';

describe('small-count suppression', () => {
  it('shows counts from 5 up and hides 0–4 behind one marker', () => {
    expect([0, 1, 4, 5, 17].map((n) => suppress(n))).toEqual(['<5', '<5', '<5', 5, 17]);
    expect(suppress(2, 10)).toBe('<10');
    expect(() => suppress(-1)).toThrow(RangeError);
    expect(() => suppress(1.5)).toThrow(RangeError);
  });

  it('never lets a number below the threshold out, and shows every other count as itself (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.integer({ min: 1, max: 20 }), (n, threshold) => {
        const out = suppress(n, threshold);
        if (n < threshold) expect(out).toBe(`<${threshold}`);
        else expect(out).toBe(n);
      }),
    );
  });
});
