import { scopeSql } from '../alerts/scope.js';
import type { SqlExec } from '../store/sql/sql-db.js';
import { checkinCoverage } from './coverage.js';

/** One worker's or one grid's figures for the evaluation (考评) over a period. */
export interface ReviewRow {
  /** A user id (per worker) or a grid code (per grid). */
  key: string;
  name: string;
  /** Matters reported. */
  reported: number;
  /** Alerts and matters resolved (by this worker / in this grid). */
  handled: number;
  /** Median dispatch → accept and accept → resolve (worker), or raise → accept and raise → resolve (grid), in ms; null with none. */
  medianAcceptMs: number | null;
  medianResolveMs: number | null;
  /** Alerts that passed an SLA deadline (level ≥ 1) among those assigned to the worker / in the grid. */
  overdue: number;
  patrols: number;
  checkins: number;
  /** Check-in points to visit in the period (routes of the grid / of the worker's patrols), and distinct ones visited. */
  points: number;
  visited: number;
}

interface Hist {
  alert_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

const blank = (key: string, name: string): ReviewRow => ({
  ...{ key, name, reported: 0, handled: 0, medianAcceptMs: null, medianResolveMs: null },
  ...{ overdue: 0, patrols: 0, checkins: 0, points: 0, visited: 0 },
});

/**
 * Per-worker and per-grid figures for alerts raised in [from, to) inside
 * `scope`, computed from the alert history (who accepted and resolved, and
 * when) and the patrol tables. Counts of work, never of residents.
 */
export async function reviewFigures(
  db: SqlExec,
  scope: readonly string[],
  from: number,
  to: number,
  nameOf: (userId: string) => Promise<string>,
): Promise<{ workers: ReviewRow[]; grids: ReviewRow[] }> {
  const s = scopeSql('a.grid_id', scope);
  const alerts = await db.all<{
    id: string;
    grid_id: string;
    level: number;
    raised_at: number;
    assignee_id: string | null;
    reported_by: string | null;
  }>(
    `SELECT a.id, a.grid_id, a.level, a.raised_at, a.assignee_id, m.reported_by FROM alert_alerts a
     LEFT JOIN field_matters m ON m.alert_id = a.id
     WHERE ${s.sql} AND a.raised_at >= ? AND a.raised_at < ? ORDER BY a.raised_at LIMIT 50000`,
    [...s.params, from, to],
  );
  const hist = await db.all<Hist>(
    `SELECT h.alert_id, h.seq, h.at, h.actor, h.action FROM alert_history h JOIN alert_alerts a ON a.id = h.alert_id
     WHERE ${s.sql} AND a.raised_at >= ? AND a.raised_at < ? ORDER BY h.alert_id, h.seq`,
    [...s.params, from, to],
  );
  const ps = scopeSql('p.grid_id', scope);
  const patrols = await db.all<{ user_id: string; grid_id: string; checkins: number }>(
    `SELECT p.user_id, p.grid_id, (SELECT count(*) FROM field_checkins c WHERE c.patrol_id = p.id) AS checkins
     FROM field_patrols p WHERE ${ps.sql} AND p.started_at >= ? AND p.started_at < ?`,
    [...ps.params, from, to],
  );
  const workers = new Map<string, ReviewRow & { accept: number[]; resolve: number[] }>();
  const grids = new Map<string, ReviewRow & { accept: number[]; resolve: number[] }>();
  const w = (id: string) => workers.get(id) ?? workers.set(id, { ...blank(id, id), accept: [], resolve: [] }).get(id)!;
  const g = (id: string) => grids.get(id) ?? grids.set(id, { ...blank(id, id), accept: [], resolve: [] }).get(id)!;
  const byAlert = new Map<string, Hist[]>();
  for (const h of hist) (byAlert.get(h.alert_id) ?? byAlert.set(h.alert_id, []).get(h.alert_id)!).push(h);
  for (const a of alerts) {
    const grid = g(a.grid_id);
    if (a.reported_by) {
      w(a.reported_by).reported++;
      grid.reported++;
    }
    if (a.level > 0) {
      grid.overdue++;
      if (a.assignee_id) w(a.assignee_id).overdue++;
    }
    let dispatchedAt: number | null = null;
    let acceptedAt: number | null = null;
    for (const h of byAlert.get(a.id) ?? []) {
      if (h.action === 'dispatch') dispatchedAt = h.at;
      if (h.action === 'acknowledge') {
        acceptedAt = h.at;
        if (h.actor !== 'system') grid.accept.push(h.at - a.raised_at);
        if (dispatchedAt !== null && h.actor !== 'system') w(h.actor).accept.push(h.at - dispatchedAt);
      }
      if (h.action === 'resolve') {
        grid.handled++;
        grid.resolve.push(h.at - a.raised_at);
        const who = w(h.actor);
        who.handled++;
        if (acceptedAt !== null) who.resolve.push(h.at - acceptedAt);
      }
    }
  }
  for (const p of patrols) {
    for (const row of [w(p.user_id), g(p.grid_id)]) {
      row.patrols++;
      row.checkins += Number(p.checkins);
    }
  }
  const coverage = await checkinCoverage(db, scope, from, to);
  for (const [m, get] of [
    [coverage.workers, w],
    [coverage.grids, g],
  ] as const)
    for (const [key, c] of m) Object.assign(get(key), c);
  const finish = async (m: typeof workers, named: boolean) => {
    const out: ReviewRow[] = [];
    for (const { accept, resolve, ...row } of m.values())
      out.push({
        ...row,
        name: named ? await nameOf(row.key) : row.name,
        medianAcceptMs: median(accept),
        medianResolveMs: median(resolve),
      });
    return out.sort((x, y) => y.handled - x.handled || x.key.localeCompare(y.key));
  };
  return { workers: await finish(workers, true), grids: await finish(grids, false) };
}

const COLUMNS: (keyof ReviewRow)[] = [
  'key',
  'name',
  'reported',
  'handled',
  'medianAcceptMs',
  'medianResolveMs',
  'overdue',
  'patrols',
  'checkins',
  'points',
  'visited',
];
const HEADER = [
  '类型 type',
  '编号 id',
  '名称 name',
  '上报事项 reported',
  '办结 handled',
  '签收中位 median accept (min)',
  '办结中位 median resolve (min)',
  '超时 overdue',
  '巡查 patrols',
  '签到 check-ins',
  '签到点 check-in points',
  '已签到点 points visited',
];

/** CSV (UTF-8 with BOM, so Excel opens Chinese correctly); times in minutes, one decimal. */
export function reviewCsv(r: { workers: ReviewRow[]; grids: ReviewRow[] }): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // A leading = + - @ would be a formula in a spreadsheet: quote it away.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const line = (type: string, row: ReviewRow) =>
    [
      type,
      ...COLUMNS.map((c) =>
        (c === 'medianAcceptMs' || c === 'medianResolveMs') && row[c] !== null
          ? (Math.round((row[c] as number) / 6000) / 10).toFixed(1)
          : row[c],
      ),
    ]
      .map(cell)
      .join(',');
  return (
    '\ufeff' +
    [
      HEADER.join(','),
      ...r.workers.map((x) => line('网格员 worker', x)),
      ...r.grids.map((x) => line('网格 grid', x)),
    ].join('\r\n') +
    '\r\n'
  );
}
