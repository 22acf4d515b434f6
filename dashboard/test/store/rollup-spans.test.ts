import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellDegrees, cellOf, NO_POSITION } from '../../src/store/rollups/cells.js';
import { DAY, HOUR, dayStart, planWindow } from '../../src/store/rollups/spans.js';

describe('planWindow', () => {
  it('covers a window exactly once with whole CST days, whole hours and partial-hour edges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.oneof(
          fc.integer({ min: 1, max: 40 * DAY }),
          fc.integer({ min: 1, max: 800 }).map((h) => h * HOUR),
        ),
        (from, length) => {
          const to = from + length;
          const p = planWindow(from, to);
          const pieces = [
            ...p.days.map((d) => [d, d + DAY] as const),
            ...p.hours.map((h) => [h, h + HOUR] as const),
            ...p.edges,
          ].sort((a, b) => a[0] - b[0]);
          expect(pieces[0]![0]).toBe(from);
          expect(pieces.at(-1)![1]).toBe(to);
          for (let i = 1; i < pieces.length; i++) expect(pieces[i]![0]).toBe(pieces[i - 1]![1]);
          for (const d of p.days) expect(dayStart(d)).toBe(d);
          for (const h of p.hours) expect(h % HOUR).toBe(0);
          for (const [a, b] of p.edges) expect(b - a).toBeLessThan(2 * HOUR);
          // No hour is read where its whole day could be.
          for (const h of p.hours) expect(dayStart(h) >= from && dayStart(h) + DAY <= to).toBe(false);
        },
      ),
    );
  });

  it('reads a China Standard Time week as seven day rows, and the wall’s whole 24 hours as hour rows', () => {
    const mid = Date.parse('2026-12-01T00:00:00+08:00');
    expect(planWindow(mid, mid + 7 * DAY)).toEqual({
      days: Array.from({ length: 7 }, (_, i) => mid + i * DAY),
      hours: [],
      edges: [],
    });
    const p = planWindow(mid + 5 * HOUR, mid + 29 * HOUR);
    expect(p.hours).toHaveLength(24);
    expect(p.edges).toEqual([]);
    // Less than two whole hours and no whole hour inside: one read of the events, as before roll-ups.
    expect(planWindow(mid + 1, mid + HOUR + 1)).toEqual({ days: [], hours: [], edges: [[mid + 1, mid + HOUR + 1]] });
  });
});

describe('cellOf', () => {
  it('gives the scan’s cells: exact decimal rounding on half-cell edges, a marker without a position', () => {
    expect(cellDegrees(cellOf(117.0005))).toBe(117.001);
    expect(cellDegrees(cellOf(117.00049))).toBe(117);
    expect(cellDegrees(cellOf(33.6))).toBe(33.6);
    expect(cellOf(null)).toBe(NO_POSITION);
    expect(cellDegrees(NO_POSITION)).toBeNull();
    // 0.0015 is stored as 0.00149999…: toFixed rounds the stored value, down.
    expect(cellDegrees(cellOf(0.0015))).toBe(Number((0.0015).toFixed(3)));
  });
});
