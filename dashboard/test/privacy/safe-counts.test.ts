import fc from 'fast-check';
import { suppressRow } from '@linli/geo';
import { describe, expect, it } from 'vitest';
import { publishRow } from '../../src/privacy/safe-counts.js';

/**
 * The attacker, written independently of publishRow's own check: every
 * assignment of the hidden cells (each ≥ 1, summing to total − visible) that
 * the published pipeline would show identically. Returns the possible values
 * per hidden cell, stopping early once each has two.
 */
export function possibleHiddenValues(row: Row) {
  const hidden = Object.keys(row.cells).filter((k) => typeof row.cells[k] === 'string');
  const visible = Object.fromEntries(Object.entries(row.cells).filter(([, v]) => typeof v === 'number')) as Record<
    string,
    number
  >;
  const sum = (row.total as number) - Object.values(visible).reduce((a, b) => a + b, 0);
  const seen = hidden.map(() => new Set<number>());
  const vals: number[] = [];
  const done = () => seen.every((s) => s.size >= 2);
  const walk = (i: number, left: number): void => {
    if (done()) return;
    if (i === hidden.length - 1) {
      vals[i] = left;
      const candidate = { ...visible };
      hidden.forEach((k, j) => (candidate[k] = vals[j]!));
      const again = publishRow(candidate);
      if (same(again, row)) vals.forEach((v, j) => seen[j]!.add(v));
      return;
    }
    for (let v = 1; v <= left - (hidden.length - 1 - i); v++) {
      vals[i] = v;
      walk(i + 1, left - v);
    }
  };
  if (hidden.length) walk(0, sum);
  return seen;
}

type Row = { cells: Record<string, number | string>; total: number | string | null };
function same(a: Row, b: Row): boolean {
  const keys = Object.keys(a.cells).sort();
  return (
    a.total === b.total &&
    keys.join() === Object.keys(b.cells).sort().join() &&
    keys.every((k) => a.cells[k] === b.cells[k])
  );
}

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
