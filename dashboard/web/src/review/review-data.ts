import type { Api } from '../api.js';
import type { HeatReply } from '../cockpit/overlays.js';

/** One grid's figures for a period (GET /api/review). */
export interface Row {
  grid: string;
  alerts: number;
  critical: number;
  ackMs: number | null;
  resolveMs: number | null;
  events: number;
}
export interface Review {
  period: { from: number; to: number };
  previous: { from: number; to: number };
  current: Row[];
  before: Row[];
  days: { day: number; alerts: number }[];
}
export interface PeriodSeries {
  from: number;
  to: number;
  events: number[];
  alerts: number[];
}
/** GET /api/review/series: counts per bucket for both periods, per grid, and response times with their SLA. */
export interface Series {
  bucketMs: number;
  current: PeriodSeries;
  previous: PeriodSeries;
  grids: { grid: string; events: number[]; alerts: number[] }[];
  response: { ackMs: number[]; resolveMs: number[] };
  sla: { default: { ackMs: number; resolveMs: number }; critical: { ackMs: number; resolveMs: number } };
}

/** Everything the review shows, fetched at once (each cut to the viewer's area by the hub). */
export async function loadReview(
  api: Api,
  from: number,
  to: number,
): Promise<{ review: Review; heat: HeatReply; series: Series }> {
  const [review, heat, series] = await Promise.all([
    api.get<Review>(`/api/review?from=${from}&to=${to}`),
    api.get<HeatReply>(`/api/heatmap?from=${from}&to=${to}`),
    api.get<Series>(`/api/review/series?from=${from}&to=${to}`),
  ]);
  return { review, heat, series };
}
