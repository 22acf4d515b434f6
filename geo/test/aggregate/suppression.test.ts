import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStart, countByGrid } from '../../src/aggregate/count-by-grid.js';
import { suppress, suppressRow } from '../../src/aggregate/suppress.js';

describe('small-count suppression', () => {
  it('shows 0 and counts from 5 up, hides 1–4', () => {
    expect([0, 1, 4, 5, 17].map((n) => suppress(n))).toEqual([0, '<5', '<5', 5, 17]);
    expect(() => suppress(-1)).toThrow(RangeError);
  });

  it('never lets a count below the threshold out, directly or by subtraction from the total (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('lone', 'disabled', 'minor', 'mental', 'floating'), fc.nat({ max: 40 })),
        (cells) => {
          const { cells: out, total } = suppressRow(cells);
          for (const v of [...Object.values(out), total])
            if (typeof v === 'number') expect(v === 0 || v >= 5).toBe(true);
          // If the total is shown, no single hidden cell can be recovered as total − visible cells.
          const hidden = Object.keys(out).filter((k) => typeof out[k] === 'string');
          if (typeof total === 'number' && total > 0) expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
        },
      ),
    );
  });

  it('counts per grid and China day, suppressed', () => {
    const day = Date.UTC(2026, 10, 22, 16, 0, 0); // 00:00 on 23 Nov in Beijing
    expect(bucketStart(day + 5 * 3_600_000, 'day')).toBe(day);
    const items = [
      ...Array.from({ length: 7 }, () => ({ gridId: 'g1', time: day + 1000, category: 'lone' })),
      ...Array.from({ length: 2 }, () => ({ gridId: 'g1', time: day + 2000, category: 'disabled' })),
      ...Array.from({ length: 6 }, () => ({ gridId: 'g2', time: day + 3000, category: 'lone' })),
    ];
    expect(countByGrid(items, 'day')).toEqual([
      { gridId: 'g1', bucket: day, cells: { lone: '<5', disabled: '<5' }, total: 9 },
      { gridId: 'g2', bucket: day, cells: { lone: 6 }, total: 6 },
    ]);
  });
});
