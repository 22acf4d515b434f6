import { dayStart } from '../sql/partitions.js';

/**
 * The roll-up spans: an hour (UTC, hence also China Standard Time), a China Standard Time quarter day (00:00,
 * 06:00, 12:00, 18:00), a China Standard Time day, and a China Standard Time week from Monday. Each is a whole
 * number of the one before and starts on one of its starts, so a window is read as the fewest buckets.
 * Quarters and weeks are there because of cities whose devices each sit in their own cell: a bucket then
 * holds about one row per device that reported in it, so the cockpit's 25 hours read as 25 hour buckets,
 * and 30 days as 29 day buckets, were nearly as many rows as the events' own index (bench/heatmap.bench.mjs,
 * 15,000 grids, 45,000 devices).
 */
export const HOUR = 3_600_000;
export const QUARTER = 6 * HOUR;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;
const CST_OFFSET = 8 * HOUR;
/** 1970-01-05 00:00 China Standard Time, a Monday: where weeks are counted from. */
export const WEEK_ORIGIN = 4 * DAY - CST_OFFSET;
/** The spans every event is counted in, shortest first: hours at ingest, the others at ingest once ended, else when sealed (seals.ts). */
export const SPANS = [HOUR, QUARTER, DAY, WEEK] as const;
/** The spans written whole by the sealer (seals.ts), each from the span before it. */
export const SEALED_SPANS = [QUARTER, DAY, WEEK] as const;

/**
 * Per sealed span, where its sealed buckets end: a bucket of that span ending at or before it holds every stored
 * event (seals.ts); later ones may lack the events that arrived while they were open, and are read in shorter spans.
 */
export interface SealedTo {
  readonly quarter: number;
  readonly day: number;
  readonly week: number;
}
/** For what plans a window as if every bucket were complete (the split's own tests, a database rolled up at once). */
export const EVERY_BUCKET_SEALED: SealedTo = { quarter: Infinity, day: Infinity, week: Infinity };

/** Where `span` is sealed to; hours are always complete. */
export function sealedFor(sealed: SealedTo, span: number): number {
  if (span === QUARTER) return sealed.quarter;
  if (span === DAY) return sealed.day;
  if (span === WEEK) return sealed.week;
  if (span === HOUR) return Infinity;
  throw new Error(`no roll-up span of ${span} ms`);
}

export const hourStart = (ms: number): number => Math.floor(ms / HOUR) * HOUR;
export const quarterStart = (ms: number): number => Math.floor((ms + CST_OFFSET) / QUARTER) * QUARTER - CST_OFFSET;
export const weekStart = (ms: number): number => Math.floor((ms - WEEK_ORIGIN) / WEEK) * WEEK + WEEK_ORIGIN;
export { dayStart };

/** The start of the bucket of `span` that holds `ms`. */
export function bucketStart(span: number, ms: number): number {
  if (span === HOUR) return hourStart(ms);
  if (span === QUARTER) return quarterStart(ms);
  if (span === DAY) return dayStart(ms);
  if (span === WEEK) return weekStart(ms);
  throw new Error(`no roll-up span of ${span} ms`);
}

/** How a window [from, to) is answered: whole buckets from roll-ups, the rest from events. */
export interface WindowPlan {
  /** Starts of the China Standard Time weeks (from Monday) wholly inside the window. */
  weeks: number[];
  /** Starts of the China Standard Time days wholly inside the window and outside those weeks. */
  days: number[];
  /** Starts of the China Standard Time quarter days wholly inside the window and outside those days. */
  quarters: number[];
  /** Starts of the hours wholly inside the window and outside those quarters. */
  hours: number[];
  /** Sub-windows shorter than an hour at either end, read from the events themselves. */
  edges: [number, number][];
}

/**
 * Splits [from, to) into whole weeks, days, quarters, hours and partial-hour edges; together they cover it
 * exactly once, each piece in the longest span that fits and is sealed (so the fewest rows are read).
 */
export function planWindow(from: number, to: number, sealed: SealedTo): WindowPlan {
  const plan: WindowPlan = { weeks: [], days: [], quarters: [], hours: [], edges: [] };
  const hs = Math.ceil(from / HOUR) * HOUR;
  const he = hourStart(to);
  if (hs >= he) {
    if (to > from) plan.edges.push([from, to]);
    return plan;
  }
  if (from < hs) plan.edges.push([from, hs]);
  if (he < to) plan.edges.push([he, to]);
  const into: Record<number, number[]> = { [WEEK]: plan.weeks, [DAY]: plan.days, [QUARTER]: plan.quarters };
  // Longest span first; what it leaves at either end goes to the next shorter one, down to hours.
  const split = (a: number, b: number, level: number): void => {
    const span = SPANS[level]!;
    if (span === HOUR) {
      for (let h = a; h < b; h += HOUR) plan.hours.push(h);
      return;
    }
    let s = bucketStart(span, a);
    if (s < a) s += span;
    // Buckets past the sealed ones go to the shorter span: they may not hold all their events yet.
    const e = bucketStart(span, Math.min(b, sealedFor(sealed, span)));
    if (s >= e) return split(a, b, level - 1);
    split(a, s, level - 1);
    for (let t = s; t < e; t += span) into[span]!.push(t);
    split(e, b, level - 1);
  };
  split(hs, he, SPANS.length - 1);
  return plan;
}

/** Buckets of one span. */
export interface WindowPiece {
  span: number;
  ats: number[];
}

/** The plan's week, day, quarter and hour buckets (whichever it has), longest span first. */
export function windowPieces(plan: WindowPlan): WindowPiece[] {
  const spans: [number, number[]][] = [
    [WEEK, plan.weeks],
    [DAY, plan.days],
    [QUARTER, plan.quarters],
    [HOUR, plan.hours],
  ];
  return spans.filter(([, ats]) => ats.length).map(([span, ats]) => ({ span, ats }));
}
