import { Type } from '@sinclair/typebox';
import { can, scopePrefix } from '../../auth/roles.js';
import type { SqlDb, SqlValue } from '../../store/sql/sql-db.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import { CockpitGeo } from './cockpit-geo.js';
import type { ApiDeps } from './deps.js';

const DAY = 86_400_000;
/** Heatmap cells are ~110 m (3 decimals of a degree): device positions, never people, and coarser still. */
const CELL_DECIMALS = 3;
const MAX_CELLS = 50_000;
const MAX_WINDOW_MS = 366 * DAY;

/**
 * The grid codes inside a scope, as SQL both engines run the same way and
 * answer from the (grid_id, received_at, …) index: `grid_id LIKE 'p%'` (which
 * PostgreSQL serves from its text_pattern_ops index) and the range
 * [p, p with its last digit raised) (which SQLite seeks; for codes of digits
 * any collation orders it the same). Either alone selects exactly the codes
 * starting with p; each engine uses the one its index can.
 */
export function scopeWhere(col: string, areaCode: string): { sql: string; params: SqlValue[] } {
  const p = scopePrefix(areaCode);
  const i = p.search(/[0-8]9*$/);
  if (i < 0) return { sql: `${col} LIKE ?`, params: [`${p}%`] };
  const hi = p.slice(0, i) + String(Number(p[i]) + 1);
  return { sql: `${col} LIKE ? AND ${col} >= ? AND ${col} < ?`, params: [`${p}%`, p, hi] };
}

const Window = Type.Object(
  {
    from: Type.Integer({ minimum: 0 }),
    to: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

function checkWindow(from: number, to: number): void {
  if (to <= from || to - from > MAX_WINDOW_MS)
    throw new ApiError(400, 'INVALID_WINDOW', '时间窗口无效：to 须晚于 from，且不超过 366 天 (invalid time window)');
}

export interface GridReviewRow {
  grid: string;
  alerts: number;
  critical: number;
  /** Mean time from raise to first acknowledge, over the alerts acknowledged; null when none were. */
  ackMs: number | null;
  resolveMs: number | null;
  events: number;
}

/**
 * What the cockpit's layers and the street leader's review read, aggregated
 * on the server and cut to the caller's area: no raw events, no people.
 */
export function cockpitRoutes(d: ApiDeps): Route[] {
  const geo = new CockpitGeo(() => d.city.current());
  const q = new CockpitQueries(d.store.db);

  return [
    {
      method: 'GET',
      path: '/api/area-tree',
      tag: 'cockpit',
      access: 'view',
      summary: 'Codes, names, levels and parents of the areas inside yours and the chain above it (for the breadcrumb)',
      handler: ({ principal }) => ({
        ok: true,
        city: geo.cityInfo(),
        areas: geo.areaTree(scopePrefix(principal.user.areaCode), principal.user.areaCode),
      }),
    },
    {
      method: 'GET',
      path: '/api/heatmap',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Events in a time window inside your area, counted per ~110 m cell on the server (cell centre and count only)',
      query: Type.Object(
        { ...Window.properties, kinds: Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z._,]*$' })) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const kinds = typeof query.kinds === 'string' && query.kinds ? query.kinds.split(',') : null;
        const rows = await q.heat(principal.user.areaCode, from, to, kinds);
        const cells = rows.slice(0, MAX_CELLS);
        // Flat arrays: 1M events fold into a few thousand cells, sent as two compact lists.
        return {
          ok: true,
          from,
          to,
          cellDegrees: 10 ** -CELL_DECIMALS,
          total: cells.reduce((s, c) => s + c.n, 0),
          positions: cells.flatMap((c) => [c.x, c.y]),
          weights: cells.map((c) => c.n),
          truncated: rows.length > MAX_CELLS,
        };
      },
    },
    {
      method: 'GET',
      path: '/api/event-count',
      tag: 'cockpit',
      access: 'view',
      summary:
        'How many events the hub holds inside your area for a time window (by receipt time): the cockpit KPIs count from this, live events only add to it',
      query: Window,
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        return { ok: true, from, to, events: await q.countEvents(principal.user.areaCode, from, to) };
      },
    },
    {
      method: 'GET',
      path: '/api/review',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Per grid inside your area, for a period and the one before it: alerts, critical alerts, mean time to acknowledge and resolve, events; plus per-day totals',
      query: Window,
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const len = to - from;
        const area = principal.user.areaCode;
        const [current, before, days] = await Promise.all([
          q.review(area, from, to),
          q.review(area, from - len, from),
          q.alertsByDay(area, from, to),
        ]);
        return {
          ok: true,
          period: { from, to },
          previous: { from: from - len, to: from },
          current,
          before,
          days,
        };
      },
    },
    {
      method: 'GET',
      path: '/api/coverage',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Service coverage per grid inside your area (15-minute walk) and the facilities there; computed in the background after the active city is activated (`ready: false` until then)',
      handler: ({ principal }) => ({ ok: true, ...geo.coverage(scopePrefix(principal.user.areaCode)) }),
    },
    {
      method: 'GET',
      path: '/api/patrols',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Grid-worker patrol tracks inside your area for the day containing `at`: real ones (recorded by the phone app) for roles that oversee field work, SYNTHETIC demo tracks for grids without any',
      query: Type.Object({ at: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      handler: async ({ principal, query, now }) => {
        const prefix = scopePrefix(principal.user.areaCode);
        const demo = geo.patrols(prefix, (query.at as number | undefined) ?? now);
        // Real tracks show where people were: only to roles over their area that oversee field work.
        const real = can(principal.user.role, 'field_oversee')
          ? await d.field.dayTracks(
              [prefix],
              demo.day,
              async (id) => (await d.auth.users.byId(id))?.displayName ?? '网格员',
            )
          : [];
        const realGrids = new Set(real.map((t) => t.grid));
        const synthetic = demo.tracks.filter((t) => !realGrids.has(t.grid));
        return {
          ok: true,
          synthetic: synthetic.length > 0,
          real: real.length,
          day: demo.day,
          tracks: [...real, ...synthetic],
        };
      },
    },
  ];
}

export interface HeatCell {
  /** Cell centre, degrees (3 decimals); null for events without a position. */
  x: number | null;
  y: number | null;
  n: number;
}

/**
 * The cockpit's aggregates, the same statements on SQLite and PostgreSQL.
 * Heatmap cells are integer cell indexes floor(v × 1000 + 0.5) (both engines
 * compute the same IEEE doubles), turned into degrees here (k / 1000: the
 * double nearest the 3-decimal value, as SQLite's round(v, 3) gave; values on
 * a half-cell edge are rounded exactly in JS); sums and means are cast so both
 * engines return plain numbers.
 */
export class CockpitQueries {
  constructor(private readonly db: SqlDb) {}

  /** Events per ~110 m cell in the window and scope, most first (ties by position, cells without one last). */
  async heat(areaCode: string, from: number, to: number, kinds: string[] | null): Promise<HeatCell[]> {
    const scope = scopeWhere('grid_id', areaCode);
    const f = 10 ** CELL_DECIMALS;
    const cell = (axis: 'lng' | 'lat') => `floor(${axis} * ${f} + 0.5)`;
    // Within a hair of a half-cell edge the float arithmetic may fall either way: those rows keep their
    // exact value, and toFixed (exact decimal rounding, as SQLite's round(v, 3) did) decides in JS.
    const edge = (axis: 'lng' | 'lat') =>
      `CASE WHEN abs(${axis} * ${f} - floor(${axis} * ${f}) - 0.5) < 0.000001 THEN ${axis} END`;
    const byKind = kinds ? `AND kind IN (${kinds.map(() => '?').join(', ')})` : '';
    // Positions come from columns in a covering index (grid, time, lng, lat): the query never reads a row.
    const rows = await this.db.all<{
      kx: number | null;
      ky: number | null;
      ex: number | null;
      ey: number | null;
      n: number;
    }>(
      `SELECT ${cell('lng')} AS kx, ${cell('lat')} AS ky, ${edge('lng')} AS ex, ${edge('lat')} AS ey, count(*) AS n
       FROM events
       WHERE ${scope.sql} AND received_at >= ? AND received_at < ? ${byKind}
       GROUP BY ${cell('lng')}, ${cell('lat')}, ${edge('lng')}, ${edge('lat')}`,
      [...scope.params, from, to, ...(kinds ?? [])],
    );
    const degrees = (k: number | null, exact: number | null) =>
      exact !== null ? Number(exact.toFixed(CELL_DECIMALS)) : k === null ? null : k / f;
    const cells = new Map<string, HeatCell>();
    for (const r of rows) {
      const x = degrees(r.kx, r.ex);
      const y = degrees(r.ky, r.ey);
      const key = `${x},${y}`;
      const c = cells.get(key);
      if (c) c.n += r.n;
      else cells.set(key, { x, y, n: r.n });
    }
    const pos = (v: number | null) => (v === null ? Infinity : v);
    return [...cells.values()].sort((a, b) => b.n - a.n || pos(a.x) - pos(b.x) || pos(a.y) - pos(b.y));
  }

  /** Events received in the window inside the area (the covering index answers it without reading rows). */
  async countEvents(areaCode: string, from: number, to: number): Promise<number> {
    const scope = scopeWhere('grid_id', areaCode);
    const row = await this.db.get<{ n: number }>(
      `SELECT count(*) AS n FROM events WHERE ${scope.sql} AND received_at >= ? AND received_at < ?`,
      [...scope.params, from, to],
    );
    return Number(row?.n ?? 0);
  }

  /** Per grid: alerts, critical ones, mean time to acknowledge and resolve, events; sorted by grid. */
  async review(areaCode: string, from: number, to: number): Promise<GridReviewRow[]> {
    const alerts = scopeWhere('a.grid_id', areaCode);
    const events = scopeWhere('grid_id', areaCode);
    const firstAt = (action: string) =>
      `(SELECT min(h.at) FROM alert_history h WHERE h.alert_id = a.id AND h.action = '${action}') - a.raised_at`;
    const [alertRows, eventRows] = await Promise.all([
      this.db.all<{ grid: string; alerts: number; critical: number; ack_ms: number | null; resolve_ms: number | null }>(
        `SELECT a.grid_id AS grid, count(*) AS alerts,
           sum(CASE WHEN a.severity = 'critical' THEN 1 ELSE 0 END) AS critical,
           CAST(avg(${firstAt('acknowledge')}) AS DOUBLE PRECISION) AS ack_ms,
           CAST(avg(${firstAt('resolve')}) AS DOUBLE PRECISION) AS resolve_ms
         FROM alert_alerts a
         WHERE ${alerts.sql} AND a.raised_at >= ? AND a.raised_at < ?
         GROUP BY a.grid_id`,
        [...alerts.params, from, to],
      ),
      this.db.all<{ grid: string; n: number }>(
        `SELECT grid_id AS grid, count(*) AS n FROM events
         WHERE ${events.sql} AND received_at >= ? AND received_at < ? GROUP BY grid_id`,
        [...events.params, from, to],
      ),
    ]);
    const rows = new Map<string, GridReviewRow>();
    const row = (grid: string) => {
      let r = rows.get(grid);
      if (!r) rows.set(grid, (r = { grid, alerts: 0, critical: 0, ackMs: null, resolveMs: null, events: 0 }));
      return r;
    };
    for (const a of alertRows) {
      const r = row(a.grid);
      r.alerts = a.alerts;
      r.critical = a.critical;
      r.ackMs = a.ack_ms === null ? null : Math.round(a.ack_ms);
      r.resolveMs = a.resolve_ms === null ? null : Math.round(a.resolve_ms);
    }
    for (const e of eventRows) row(e.grid).events = e.n;
    return [...rows.values()].sort((a, b) => (a.grid < b.grid ? -1 : a.grid > b.grid ? 1 : 0));
  }

  /** Alerts raised per day of the window (days counted from `from`), days without any left out. */
  async alertsByDay(areaCode: string, from: number, to: number): Promise<{ day: number; alerts: number }[]> {
    const scope = scopeWhere('grid_id', areaCode);
    // Integer division of non-negative integers: the same truncation on both engines.
    const rows = await this.db.all<{ d: number; n: number }>(
      `SELECT (raised_at - CAST(? AS BIGINT)) / ${DAY} AS d, count(*) AS n FROM alert_alerts
       WHERE ${scope.sql} AND raised_at >= ? AND raised_at < ?
       GROUP BY d ORDER BY d`,
      [from, ...scope.params, from, to],
    );
    return rows.map((r) => ({ day: from + r.d * DAY, alerts: r.n }));
  }
}
