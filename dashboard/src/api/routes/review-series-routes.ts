import { Type } from '@sinclair/typebox';
import type { AlertConfig } from '../../alerts/config.js';
import type { SqlDb } from '../../store/sql/sql-db.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import { scopeWhere } from './scope-where.js';
import type { ApiDeps } from './deps.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_WINDOW_MS = 366 * DAY;
/** Response times sent per period: enough for a distribution, bounded for a city-wide year. */
const MAX_DURATIONS = 20_000;

/** Counts per bucket of one period, bucket i covering [from + i·bucketMs, from + (i+1)·bucketMs). */
export interface PeriodSeries {
  from: number;
  to: number;
  events: number[];
  alerts: number[];
}

/** Time from raise to the first acknowledge and to the first resolve, per alert raised in the period. */
export interface ResponseTimes {
  ackMs: number[];
  resolveMs: number[];
}

/**
 * The review's pictures of time: events and alerts per hour (periods up to
 * two days) or per day, for the period and the one before it; per grid, the
 * period's events and alerts per bucket (the trend table's sparklines); and
 * the response times of the period's alerts with the SLA they are held to.
 * Cut to the caller's area, aggregated on the server.
 */
export function reviewSeriesRoutes(d: ApiDeps): Route[] {
  const q = new ReviewSeriesQueries(d.store.db);
  return [
    {
      method: 'GET',
      path: '/api/review/series',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Events and alerts per hour or day inside your area for a period and the one before it, per-grid series, and response times with their SLA',
      query: Type.Object(
        { from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        if (to <= from || to - from > MAX_WINDOW_MS)
          throw new ApiError(
            400,
            'INVALID_WINDOW',
            '时间窗口无效：to 须晚于 from，且不超过 366 天 (invalid time window)',
          );
        const area = principal.user.areaCode;
        const bucketMs = bucketFor(to - from);
        const len = to - from;
        const [current, previous, grids, response] = await Promise.all([
          q.period(area, from, to, bucketMs),
          q.period(area, from - len, from, bucketMs),
          q.grids(area, from, to, bucketMs),
          q.responseTimes(area, from, to),
        ]);
        return { ok: true, bucketMs, current, previous, grids, response, sla: slaLines(d.alerts.config) };
      },
    },
  ];
}

/** Hours for a day or two, days beyond: a week is 7 points or 168, a quarter 90. */
export function bucketFor(lengthMs: number): number {
  return lengthMs <= 2 * DAY ? HOUR : DAY;
}

/**
 * The SLA from raise to acknowledge (dispatch + acknowledge timers) and to
 * resolve (all three), for ordinary and for critical alarms (severity rules only).
 */
export function slaLines(config: AlertConfig) {
  const critical = { ...config.sla.default };
  for (const r of config.sla.rules)
    if (r.kind === undefined && r.severity === 'critical') Object.assign(critical, stripUndefined(r));
  const line = (s: typeof critical) => ({
    ackMs: s.dispatchMs + s.acknowledgeMs,
    resolveMs: s.dispatchMs + s.acknowledgeMs + s.resolveMs,
  });
  return { default: line(config.sla.default), critical: line(critical) };
}

const stripUndefined = (r: Record<string, unknown>) => {
  const out: Record<string, number> = {};
  for (const k of ['dispatchMs', 'acknowledgeMs', 'resolveMs']) if (typeof r[k] === 'number') out[k] = r[k];
  return out;
};

/** The same statements on SQLite and PostgreSQL: integer division of non-negative integers truncates alike. */
export class ReviewSeriesQueries {
  constructor(private readonly db: SqlDb) {}

  async period(areaCode: string, from: number, to: number, bucketMs: number): Promise<PeriodSeries> {
    const n = Math.ceil((to - from) / bucketMs);
    const ev = scopeWhere('grid_id', areaCode);
    const [events, alerts] = await Promise.all([
      this.db.all<{ b: number; n: number }>(
        `SELECT (received_at - CAST(? AS BIGINT)) / ${bucketMs} AS b, count(*) AS n FROM events
         WHERE ${ev.sql} AND received_at >= ? AND received_at < ? GROUP BY b`,
        [from, ...ev.params, from, to],
      ),
      this.db.all<{ b: number; n: number }>(
        `SELECT (raised_at - CAST(? AS BIGINT)) / ${bucketMs} AS b, count(*) AS n FROM alert_alerts
         WHERE ${ev.sql} AND raised_at >= ? AND raised_at < ? GROUP BY b`,
        [from, ...ev.params, from, to],
      ),
    ]);
    return { from, to, events: dense(n, events), alerts: dense(n, alerts) };
  }

  /** Per grid with anything in the period: its events and alerts per bucket, sorted by grid. */
  async grids(
    areaCode: string,
    from: number,
    to: number,
    bucketMs: number,
  ): Promise<{ grid: string; events: number[]; alerts: number[] }[]> {
    const n = Math.ceil((to - from) / bucketMs);
    const ev = scopeWhere('grid_id', areaCode);
    const [events, alerts] = await Promise.all([
      this.db.all<{ g: string; b: number; n: number }>(
        `SELECT grid_id AS g, (received_at - CAST(? AS BIGINT)) / ${bucketMs} AS b, count(*) AS n FROM events
         WHERE ${ev.sql} AND received_at >= ? AND received_at < ? GROUP BY grid_id, b`,
        [from, ...ev.params, from, to],
      ),
      this.db.all<{ g: string; b: number; n: number }>(
        `SELECT grid_id AS g, (raised_at - CAST(? AS BIGINT)) / ${bucketMs} AS b, count(*) AS n FROM alert_alerts
         WHERE ${ev.sql} AND raised_at >= ? AND raised_at < ? GROUP BY grid_id, b`,
        [from, ...ev.params, from, to],
      ),
    ]);
    const out = new Map<string, { grid: string; events: number[]; alerts: number[] }>();
    const row = (g: string) => {
      let r = out.get(g);
      if (!r) out.set(g, (r = { grid: g, events: new Array<number>(n).fill(0), alerts: new Array<number>(n).fill(0) }));
      return r;
    };
    for (const e of events) row(e.g).events[Number(e.b)] = Number(e.n);
    for (const a of alerts) row(a.g).alerts[Number(a.b)] = Number(a.n);
    return [...out.values()].sort((a, b) => (a.grid < b.grid ? -1 : a.grid > b.grid ? 1 : 0));
  }

  /** Each alert raised in the period: how long until it was first acknowledged and first resolved (ascending). */
  async responseTimes(areaCode: string, from: number, to: number): Promise<ResponseTimes> {
    const scope = scopeWhere('a.grid_id', areaCode);
    const firstAt = (action: string) =>
      `(SELECT min(h.at) FROM alert_history h WHERE h.alert_id = a.id AND h.action = '${action}') - a.raised_at`;
    const rows = await this.db.all<{ ack: number | null; res: number | null }>(
      `SELECT ${firstAt('acknowledge')} AS ack, ${firstAt('resolve')} AS res FROM alert_alerts a
       WHERE ${scope.sql} AND a.raised_at >= ? AND a.raised_at < ?`,
      [...scope.params, from, to],
    );
    const sorted = (xs: (number | null)[]) => {
      const all = xs
        .filter((x): x is number => x !== null)
        .map(Number)
        .sort((a, b) => a - b);
      // Over the bound, every k-th value: the same distribution, fewer points.
      const k = Math.ceil(all.length / MAX_DURATIONS);
      return k > 1 ? all.filter((_, i) => i % k === 0) : all;
    };
    return { ackMs: sorted(rows.map((r) => r.ack)), resolveMs: sorted(rows.map((r) => r.res)) };
  }
}

function dense(n: number, rows: { b: number; n: number }[]): number[] {
  const out = new Array<number>(n).fill(0);
  for (const r of rows) if (Number(r.b) < n) out[Number(r.b)] = Number(r.n);
  return out;
}
