import type { GetReply, ReviewSeriesReply } from '@linli/contract';
import type { Api } from '../api.js';
import type { HeatReply } from '../cockpit/overlays.js';

/** GET /api/review: per-grid figures for the period and the one before it, and alerts per day. */
export type Review = GetReply<'/api/review'>;
/** GET /api/review/series: counts per bucket for both periods, per grid, and response times with their SLA. */
export type Series = ReviewSeriesReply;

/** Everything the review shows, fetched at once (each cut to the viewer's area by the hub). */
export async function loadReview(
  api: Api,
  from: number,
  to: number,
): Promise<{ review: Review; heat: HeatReply; series: Series }> {
  const [review, heat, series] = await Promise.all([
    api.get('/api/review', { from, to }),
    api.get('/api/heatmap', { from, to }),
    api.get('/api/review/series', { from, to }),
  ]);
  return { review, heat, series };
}
