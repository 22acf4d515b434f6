import { dayStart } from '../sql/partitions.js';

/**
 * The roll-up spans: an hour (UTC, hence also China Standard Time), a China Standard Time day, and a China
 * Standard Time week from Monday. Weeks are there for the long windows: in a city whose devices each sit in
 * their own cell, a day row holds about as many rows as devices, so 30 days of day rows were nearly as many
 * rows as a scan of the events' index (bench/heatmap.bench.mjs, 15,000 grids).
 */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;
/** 1970-01-05 00:00 China Standard Time, a Monday: where weeks are counted from. */
export const WEEK_ORIGIN = 4 * DAY - 8 * HOUR;
/** The spans every event is counted in (rollup-writer.ts). */
export const SPANS = [HOUR, DAY, WEEK] as const;

export const hourStart = (ms: number): number => Math.floor(ms / HOUR) * HOUR;
export const weekStart = (ms: number): number => Math.floor((ms - WEEK_ORIGIN) / WEEK) * WEEK + WEEK_ORIGIN;
export { dayStart };

/** How a window [from, to) is answered: whole weeks, days and hours from roll-ups, the rest from events. */
export interface WindowPlan {
  /** Starts of the China Standard Time weeks (from Monday) wholly inside the window. */
  weeks: number[];
  /** Starts of the China Standard Time days wholly inside the window and outside those weeks. */
  days: number[];
  /** Starts of the hours wholly inside the window and outside those days. */
  hours: number[];
  /** Sub-windows shorter than an hour at either end, read from the events themselves. */
  edges: [number, number][];
}

/** Splits [from, to) into whole weeks, days, hours and partial-hour edges; together they cover it exactly once. */
export function planWindow(from: number, to: number): WindowPlan {
  const hs = Math.ceil(from / HOUR) * HOUR;
  const he = hourStart(to);
  if (hs >= he) return { weeks: [], days: [], hours: [], edges: to > from ? [[from, to]] : [] };
  const edges: [number, number][] = [];
  if (from < hs) edges.push([from, hs]);
  if (he < to) edges.push([he, to]);
  const days: number[] = [];
  let d = dayStart(hs);
  if (d < hs) d += DAY;
  for (; d + DAY <= he; d += DAY) days.push(d);
  const hours: number[] = [];
  const addHours = (a: number, b: number) => {
    for (let h = a; h < b; h += HOUR) hours.push(h);
  };
  if (days.length) {
    addHours(hs, days[0]!);
    addHours(days.at(-1)! + DAY, he);
  } else addHours(hs, he);
  const weeks: number[] = [];
  if (days.length) {
    const end = days.at(-1)! + DAY;
    let w = weekStart(days[0]!);
    if (w < days[0]!) w += WEEK;
    for (; w + WEEK <= end; w += WEEK) weeks.push(w);
  }
  if (!weeks.length) return { weeks, days, hours, edges };
  const inWeeks = (d: number) => d >= weeks[0]! && d < weeks.at(-1)! + WEEK;
  return { weeks, days: days.filter((d) => !inWeeks(d)), hours, edges };
}
