import { dayStart } from '../sql/partitions.js';

/** The two roll-up spans: an hour (UTC, hence also China Standard Time) and a China Standard Time day. */
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const hourStart = (ms: number): number => Math.floor(ms / HOUR) * HOUR;
export { dayStart };

/** How a window [from, to) is answered: whole days and whole hours from roll-ups, the rest from events. */
export interface WindowPlan {
  /** Starts of the China Standard Time days wholly inside the window. */
  days: number[];
  /** Starts of the hours wholly inside the window and outside those days. */
  hours: number[];
  /** Sub-windows shorter than an hour at either end, read from the events themselves. */
  edges: [number, number][];
}

/** Splits [from, to) into whole days, whole hours and partial-hour edges; together they cover it exactly once. */
export function planWindow(from: number, to: number): WindowPlan {
  const hs = Math.ceil(from / HOUR) * HOUR;
  const he = hourStart(to);
  if (hs >= he) return { days: [], hours: [], edges: to > from ? [[from, to]] : [] };
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
  return { days, hours, edges };
}
