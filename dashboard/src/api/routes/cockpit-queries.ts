import type { SqlDb } from '../../store/sql/sql-db.js';
import { DAY, planWindow, windowPieces, type WindowPlan } from '../../store/rollups/spans.js';
import { EventScan, type HeatCell } from './event-scan.js';
import type { HeatFolds } from './heat-folds.js';
import { HeatQuery, type HeatRead } from './heat-query.js';
import { scopeWhere } from './scope-where.js';

export type { HeatCell };

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
 * The cockpit's aggregates, the same statements on SQLite and PostgreSQL.
 * Event figures come from the roll-ups (store/rollups/): whole weeks, days, quarters and hours
 * of a window are read there by their bucket starts (an IN list on the
 * primary key's second column, then the scope's code range: one seek per
 * bucket), and only the partial hours at its ends from the events. The heat of
 * buckets that have settled is folded once and kept in this node's memory
 * (heat-query.ts), checked against their generations on every read. They equal
 * a scan of the events (EventScan) exactly; dashboard/test/cockpit/rollups.property.test.ts holds them to it,
 * with late events and retention landing in buckets already folded.
 */
export class CockpitQueries {
  /** The events themselves, over whole windows: the reference the roll-ups are held to. */
  readonly scan: EventScan;
  /** The same, for the partial hours at a window's ends. */
  private readonly edges: EventScan;

  /** The heatmap, with the settled buckets' heat kept in this node's memory (heat-query.ts). */
  private readonly heatQuery: HeatQuery;

  constructor(private readonly db: SqlDb) {
    this.heatQuery = new HeatQuery(db);
    this.scan = new EventScan(db);
    this.edges = new EventScan(db, true);
  }

  /** Events per ~110 m cell in the window and scope, most first (ties by position, cells without one last). */
  heat(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatCell[]> {
    return this.heatQuery.heat(areaCode, from, to, kinds);
  }

  /** The heat and how it was read (for the Server-Timing header). */
  heatRead(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatRead> {
    return this.heatQuery.read(areaCode, from, to, kinds);
  }

  /** The settled buckets' heat this node keeps. */
  get folds(): HeatFolds {
    return this.heatQuery.folds;
  }

  /** Resolves when no settled bucket is waiting to be folded. */
  foldsIdle(): Promise<void> {
    return this.heatQuery.idle();
  }

  /** Events received in the window inside the area. */
  async countEvents(areaCode: string, from: number, to: number): Promise<number> {
    const rows = await this.eventsByGrid(areaCode, from, to);
    return rows.reduce((s, r) => s + r.n, 0);
  }

  /** Events per grid received in the window inside the area (grids without any left out). */
  async eventsByGrid(areaCode: string, from: number, to: number): Promise<{ grid: string; n: number }[]> {
    const plan = planWindow(from, to);
    const scope = scopeWhere('grid_id', areaCode, this.db.dialect);
    const [bucketRows, edgeRows] = await Promise.all([
      this.buckets(plan, (span, ats) =>
        this.db.all<{ grid: string; n: number }>(
          `SELECT grid_id AS grid, sum(n) AS n FROM rollup_grids
           WHERE span_ms = ? AND bucket_at IN (${ats.map(() => '?').join(', ')}) AND ${scope.sql}
           GROUP BY grid_id`,
          [span, ...ats, ...scope.params],
        ),
      ),
      Promise.all(plan.edges.map(([a, b]) => this.edges.eventsByGrid(areaCode, a, b))),
    ]);
    const grids = new Map<string, number>();
    for (const r of [...bucketRows.flat(), ...edgeRows.flat()])
      grids.set(r.grid, (grids.get(r.grid) ?? 0) + Number(r.n));
    return [...grids].filter(([, n]) => n > 0).map(([grid, n]) => ({ grid, n }));
  }

  /** Runs `read` for the plan's week, day, quarter and hour buckets (whichever it has). */
  private buckets<T>(plan: WindowPlan, read: (span: number, ats: number[]) => Promise<T[]>): Promise<T[][]> {
    return Promise.all(windowPieces(plan).map(({ span, ats }) => read(span, ats)));
  }

  /** Per grid: alerts, critical ones, mean time to acknowledge and resolve, events; sorted by grid. */
  async review(areaCode: string, from: number, to: number): Promise<GridReviewRow[]> {
    const alerts = scopeWhere('a.grid_id', areaCode);
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
      this.eventsByGrid(areaCode, from, to),
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
    const scope = scopeWhere('grid_id', areaCode, this.db.dialect);
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
