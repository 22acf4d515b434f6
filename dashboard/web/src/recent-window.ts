/** Heatmap and review windows ending now, in the shape the hub answers cheapest. */
const HOUR = 3_600_000;

/**
 * The last `length` ms. A day or longer is taken as the whole hours that hold
 * it (the current hour to its end), which the hub answers from its hourly and
 * daily roll-ups alone, without reading a partial hour of events at each end.
 */
export function recentWindow(length: number, now: number): [number, number] {
  if (length < 24 * HOUR) return [now - length, now];
  return [Math.floor((now - length) / HOUR) * HOUR, Math.floor(now / HOUR) * HOUR + HOUR];
}
