import { Type } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
import { SqliteDb } from '../../store/sql/sqlite-db.js';
import { scopePrefix } from '../../auth/roles.js';
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
 * Grid codes inside a scope as a range on the (grid_id, received_at) index:
 * digits sort before ':' so [prefix, prefix + ':') is every code that starts with it.
 */
function codeRange(areaCode: string): [string, string] {
  const p = scopePrefix(areaCode);
  return [p, `${p}:`];
}

/** The SQLite store's database; another store would provide these aggregates itself. */
function dbOf(d: ApiDeps): Database.Database {
  if (!(d.store.db instanceof SqliteDb))
    throw new ApiError(501, 'NOT_SUPPORTED', '此存储不支持聚合查询 (this store has no aggregate queries)');
  return d.store.db.raw;
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
  const geo = new CockpitGeo();
  let prepared: ReturnType<typeof prepare> | null = null;
  const q = () => (prepared ??= prepare(dbOf(d)));

  const review = (areaCode: string, from: number, to: number): GridReviewRow[] => {
    const [lo, hi] = codeRange(areaCode);
    const rows = new Map<string, GridReviewRow>();
    const row = (grid: string) => {
      let r = rows.get(grid);
      if (!r) rows.set(grid, (r = { grid, alerts: 0, critical: 0, ackMs: null, resolveMs: null, events: 0 }));
      return r;
    };
    for (const a of q().alertsByGrid.all(lo, hi, from, to)) {
      const r = row(a.grid);
      r.alerts = a.alerts;
      r.critical = a.critical;
      r.ackMs = a.ackMs === null ? null : Math.round(a.ackMs);
      r.resolveMs = a.resolveMs === null ? null : Math.round(a.resolveMs);
    }
    for (const e of q().eventsByGrid.all(lo, hi, from, to)) row(e.grid).events = e.n;
    return [...rows.values()].sort((a, b) => a.grid.localeCompare(b.grid));
  };

  return [
    {
      method: 'GET',
      path: '/api/area-tree',
      tag: 'cockpit',
      access: 'view',
      summary: 'Codes, names, levels and parents of the areas inside yours and the chain above it (for the breadcrumb)',
      handler: ({ principal }) => ({
        ok: true,
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
      handler: ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const [lo, hi] = codeRange(principal.user.areaCode);
        const kinds = typeof query.kinds === 'string' && query.kinds ? query.kinds.split(',') : null;
        const rows = kinds
          ? q().heatByKind.all(lo, hi, from, to, JSON.stringify(kinds))
          : q().heat.all(lo, hi, from, to);
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
      path: '/api/review',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Per grid inside your area, for a period and the one before it: alerts, critical alerts, mean time to acknowledge and resolve, events; plus per-day totals',
      query: Window,
      handler: ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const len = to - from;
        const [lo, hi] = codeRange(principal.user.areaCode);
        const days = q()
          .alertsByDay.all(from, lo, hi, from, to)
          .map((r) => ({ day: from + r.d * DAY, alerts: r.n }));
        return {
          ok: true,
          period: { from, to },
          previous: { from: from - len, to: from },
          current: review(principal.user.areaCode, from, to),
          before: review(principal.user.areaCode, from - len, from),
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
        'Service coverage per grid inside your area (15-minute walk) and the facilities there; computed once from the demo geography',
      handler: ({ principal }) => ({ ok: true, ...geo.coverage(scopePrefix(principal.user.areaCode)) }),
    },
    {
      method: 'GET',
      path: '/api/patrols',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Grid-worker patrol tracks inside your area for the day containing `at` (SYNTHETIC demo data: no worker is tracked)',
      query: Type.Object({ at: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      handler: ({ principal, query, now }) => ({
        ok: true,
        synthetic: true,
        ...geo.patrols(scopePrefix(principal.user.areaCode), (query.at as number | undefined) ?? now),
      }),
    },
  ];
}

interface HeatRow {
  x: number;
  y: number;
  n: number;
}

function prepare(db: Database.Database) {
  // Positions come from columns in a covering index (grid, time, lng, lat): the query never reads a row.
  const cell = (axis: 'lng' | 'lat') => `round(${axis}, ${CELL_DECIMALS})`;
  const heatSql = (extra: string) =>
    `SELECT ${cell('lng')} AS x, ${cell('lat')} AS y, count(*) AS n FROM events
     WHERE grid_id >= ? AND grid_id < ? AND received_at >= ? AND received_at < ? ${extra}
     GROUP BY x, y ORDER BY n DESC`;
  return {
    heat: db.prepare<[string, string, number, number], HeatRow>(heatSql('')),
    heatByKind: db.prepare<[string, string, number, number, string], HeatRow>(
      heatSql('AND kind IN (SELECT value FROM json_each(?))'),
    ),
    eventsByGrid: db.prepare<[string, string, number, number], { grid: string; n: number }>(
      `SELECT grid_id AS grid, count(*) AS n FROM events
       WHERE grid_id >= ? AND grid_id < ? AND received_at >= ? AND received_at < ? GROUP BY grid_id`,
    ),
    alertsByGrid: db.prepare<
      [string, string, number, number],
      { grid: string; alerts: number; critical: number; ackMs: number | null; resolveMs: number | null }
    >(
      `SELECT a.grid_id AS grid, count(*) AS alerts, sum(a.severity = 'critical') AS critical,
         avg((SELECT min(h.at) FROM alert_history h WHERE h.alert_id = a.id AND h.action = 'acknowledge') - a.raised_at) AS ackMs,
         avg((SELECT min(h.at) FROM alert_history h WHERE h.alert_id = a.id AND h.action = 'resolve') - a.raised_at) AS resolveMs
       FROM alert_alerts a
       WHERE a.grid_id >= ? AND a.grid_id < ? AND a.raised_at >= ? AND a.raised_at < ?
       GROUP BY a.grid_id`,
    ),
    alertsByDay: db.prepare<[number, string, string, number, number], { d: number; n: number }>(
      `SELECT (raised_at - ?) / ${DAY} AS d, count(*) AS n FROM alert_alerts
       WHERE grid_id >= ? AND grid_id < ? AND raised_at >= ? AND raised_at < ? GROUP BY d ORDER BY d`,
    ),
  };
}
