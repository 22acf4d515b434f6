import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellDegrees, cellOf, NO_POSITION } from '../../src/store/rollups/cells.js';
import {
  DAY,
  EVERY_BUCKET_SEALED,
  HOUR,
  QUARTER,
  WEEK,
  dayStart,
  planWindow,
  quarterStart,
  weekStart,
} from '../../src/store/rollups/spans.js';

/** The plan's pieces, in order, cover [from, to) exactly once: no gap, no overlap. */
function expectCovers(p: ReturnType<typeof planWindow>, from: number, to: number): void {
  const pieces = [
    ...p.weeks.map((x) => [x, x + WEEK] as const),
    ...p.days.map((x) => [x, x + DAY] as const),
    ...p.quarters.map((x) => [x, x + QUARTER] as const),
    ...p.hours.map((x) => [x, x + HOUR] as const),
    ...p.edges,
  ].sort((a, b) => a[0] - b[0]);
  expect(pieces[0]![0]).toBe(from);
  expect(pieces.at(-1)![1]).toBe(to);
  for (let i = 1; i < pieces.length; i++) expect(pieces[i]![0]).toBe(pieces[i - 1]![1]);
}

describe('planWindow', () => {
  it('covers a window exactly once with whole CST weeks, days, quarter days, hours and partial-hour edges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.oneof(
          fc.integer({ min: 1, max: 40 * DAY }),
          fc.integer({ min: 1, max: 400 }).map((d) => d * DAY),
          fc.integer({ min: 1, max: 800 }).map((h) => h * HOUR),
        ),
        (from, length) => {
          const to = from + length;
          const p = planWindow(from, to, EVERY_BUCKET_SEALED);
          expectCovers(p, from, to);
          for (const w of p.weeks) expect(weekStart(w)).toBe(w);
          for (const d of p.days) expect(dayStart(d)).toBe(d);
          for (const q of p.quarters) expect(quarterStart(q)).toBe(q);
          // Nothing is read in a span where the longer span around it could be.
          const fits = (start: number, span: number) => start >= from && start + span <= to;
          for (const d of p.days) expect(fits(weekStart(d), WEEK)).toBe(false);
          for (const q of p.quarters) expect(fits(dayStart(q), DAY)).toBe(false);
          for (const h of p.hours) expect(fits(quarterStart(h), QUARTER)).toBe(false);
          for (const h of p.hours) expect(h % HOUR).toBe(0);
          for (const [a, b] of p.edges) expect(b - a).toBeLessThan(2 * HOUR);
          // No hour is read where its whole day could be.
          for (const h of p.hours) expect(dayStart(h) >= from && dayStart(h) + DAY <= to).toBe(false);
        },
      ),
    );
  });

  it('reads a bucket in a longer span only once that span is sealed past it, and covers the window all the same', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
        fc.integer({ min: 1, max: 60 * DAY }),
        fc.tuple(...[QUARTER, DAY, WEEK].map(() => fc.integer({ min: -70 * DAY, max: 70 * DAY }))),
        (from, length, [q, d, w]) => {
          const to = from + length;
          const mid = from + length / 2;
          // Watermarks sit on their span's bucket starts, as the sealer leaves them.
          const sealed = { quarter: quarterStart(mid + q!), day: dayStart(mid + d!), week: weekStart(mid + w!) };
          const p = planWindow(from, to, sealed);
          expectCovers(p, from, to);
          for (const x of p.weeks) expect(x + WEEK).toBeLessThanOrEqual(sealed.week);
          for (const x of p.days) expect(x + DAY).toBeLessThanOrEqual(sealed.day);
          for (const x of p.quarters) expect(x + QUARTER).toBeLessThanOrEqual(sealed.quarter);
          // Whatever is sealed and fits is still read in the longer span: a sealed day is not read as hours.
          const fits = (start: number, span: number, to_: number) => start >= from && start + span <= Math.min(to, to_);
          for (const h of p.hours) expect(fits(quarterStart(h), QUARTER, sealed.quarter)).toBe(false);
          for (const x of p.quarters) expect(fits(dayStart(x), DAY, sealed.day)).toBe(false);
        },
      ),
    );
    // Nothing sealed: hours and edges only.
    const none = { quarter: -Infinity, day: -Infinity, week: -Infinity };
    const mid = Date.parse('2026-12-01T00:00:00+08:00');
    const p = planWindow(mid, mid + 7 * DAY, none);
    expect([p.weeks, p.days, p.quarters]).toEqual([[], [], []]);
    expect(p.hours.length).toBe(7 * 24);
  });

  it('reads a China Standard Time week as seven day rows, and the wall’s 24 hours as quarters and hours', () => {
    const mid = Date.parse('2026-12-01T00:00:00+08:00');
    // 2026-12-01 is a Tuesday: no Monday-to-Sunday week fits in the seven days from it.
    expect(planWindow(mid, mid + 7 * DAY, EVERY_BUCKET_SEALED)).toEqual({
      weeks: [],
      days: Array.from({ length: 7 }, (_, i) => mid + i * DAY),
      quarters: [],
      hours: [],
      edges: [],
    });
    // 05:00 to 05:00: the hour to 06:00, the quarters from 06:00 to midnight, the hours to 05:00.
    const p = planWindow(mid + 5 * HOUR, mid + 29 * HOUR, EVERY_BUCKET_SEALED);
    expect(p.quarters).toEqual([6, 12, 18].map((h) => mid + h * HOUR));
    expect(p.hours).toEqual([5, 24, 25, 26, 27, 28].map((h) => mid + h * HOUR));
    expect(p.edges).toEqual([]);
    // Less than two whole hours and no whole hour inside: one read of the events, as before roll-ups.
    expect(planWindow(mid + 1, mid + HOUR + 1, EVERY_BUCKET_SEALED)).toEqual({
      weeks: [],
      days: [],
      hours: [],
      quarters: [],
      edges: [[mid + 1, mid + HOUR + 1]],
    });
  });

  it('reads the cockpit’s 30 days as the Monday weeks inside, the days around them and the hours at the ends', () => {
    const now = Date.parse('2026-12-03T16:20:00+08:00');
    const from = Math.floor((now - 30 * DAY) / HOUR) * HOUR;
    const p = planWindow(from, Math.floor(now / HOUR) * HOUR + HOUR, EVERY_BUCKET_SEALED);
    expect(p.weeks.map((w) => new Date(w + 8 * HOUR).toISOString().slice(0, 10))).toEqual([
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
    for (const w of p.weeks) expect(new Date(w + 8 * HOUR).getUTCDay()).toBe(1);
    // Wednesday 4 to Sunday 8 November, and Monday 30 November to Wednesday 2 December.
    expect(p.days.length).toBe(5 + 3);
    // From 16:00 on 3 November (two hours, then the quarter from 18:00), and to 17:00 on 3 December (the
    // quarters from 00:00 and 06:00, then five hours).
    expect(p.quarters.length).toBe(1 + 2);
    expect(p.hours.length).toBe(2 + 5);
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
