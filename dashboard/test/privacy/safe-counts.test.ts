import fc from 'fast-check';
import { suppressRow } from '@linli/geo';
import { describe, expect, it } from 'vitest';
import { publishRow } from '../../src/privacy/safe-counts.js';
import { possibleHiddenValues } from './attacker.js';

describe('publishRow', () => {
  it('withholds a total that would pin the hidden cells', () => {
    // geo alone: 4→<5, complement 5→<5, total 14 → the pair sums to 9 and the complement is ≤ 5.
    expect(suppressRow({ a: 4, b: 5, c: 5 }).total).toBe(14);
    expect(publishRow({ a: 4, b: 5, c: 5 })).toEqual({ cells: { a: '<5', b: '<5', c: 5 }, total: null });
    // Two ones: the hidden pair sums to 2, so both are 1.
    expect(publishRow({ a: 1, b: 1, c: 9 }).total).toBeNull();
    // Here the hidden pair can be 1+8, 2+7, 3+6 or 4+5: the total may be shown.
    expect(publishRow({ a: 2, b: 7, c: 8 })).toEqual({ cells: { a: '<5', b: '<5', c: 8 }, total: 17 });
  });

  it('never shows 1–4 and never lets total − visible pin a hidden cell', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.integer({ min: 0, max: 12 }), { minKeys: 1 }),
        (cells) => {
          const row = publishRow(cells);
          for (const v of [...Object.values(row.cells), row.total])
            if (typeof v === 'number') expect(v === 0 || v >= 5).toBe(true);
          if (typeof row.total === 'number')
            for (const s of possibleHiddenValues(row)) expect(s.size).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 400 },
    );
  });
});
