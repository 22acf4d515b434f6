import type { SqlDb } from '../../store/sql/sql-db.js';
import { readSealed } from '../../store/rollups/seals.js';
import { DAY, planWindow, type WindowPiece } from '../../store/rollups/spans.js';
import type { Folds } from './bucket-folds.js';
import { EventScan, type HeatCell } from './event-scan.js';
import { FoldedBuckets } from './folded-buckets.js';
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
  /** Events per grid (review, KPIs), the settled buckets likewise folded once (folded-buckets.ts). */
  private readonly gridBuckets: FoldedBuckets<string, { areaCode: string; name: string }>;

  constructor(private readonly db: SqlDb) {
    this.scan = new EventScan(db);
    this.edges = new EventScan(db, true);
    this.heatQuery = new HeatQuery(db, this.edges);
    this.gridBuckets = new FoldedBuckets(db, (f, pieces) => this.gridRows(f.areaCode, pieces));
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
  get folds(): Folds<number> {
    return this.heatQuery.folds;
  }

  /** The settled buckets' events per grid this node keeps. */
  get gridFolds(): Folds<string> {
    return this.gridBuckets.folds;
  }

  /** Resolves when no settled bucket is waiting to be folded. */
  async foldsIdle(): Promise<void> {
    await Promise.all([this.heatQuery.idle(), this.gridBuckets.idle()]);
  }

  /** Events received in the window inside the area. */
  async countEvents(areaCode: string, from: number, to: number): Promise<number> {
    const rows = await this.eventsByGrid(areaCode, from, to);
    return rows.reduce((s, r) => s + r.n, 0);
  }

  /** Events per grid received in the window inside the area (grids without any left out), in no particular order. */
  async eventsByGrid(areaCode: string, from: number, to: number): Promise<{ grid: string; n: number }[]> {
    const plan = planWindow(from, to, await readSealed(this.db));
    const [{ sum }, edgeRows] = await Promise.all([
      this.gridBuckets.read({ areaCode, name: areaCode }, plan),
      Promise.all(plan.edges.map(([a, b]) => this.edges.eventsByGrid(areaCode, a, b))),
    ]);
    sum.addRows(edgeRows.flat().map((r) => ({ k: r.grid, n: Number(r.n) })));
    const { keys, n } = sum.totals();
    return keys.map((grid, i) => ({ grid, n: n[i]! })).filter((r) => r.n > 0);
  }

  /** Some buckets' events per grid, in one statement. */
  private async gridRows(areaCode: string, pieces: WindowPiece[]): Promise<{ k: string; n: number }[]> {
    const scope = scopeWhere('grid_id', areaCode, this.db.dialect);
    const rows = await this.db.all<{ k: string; n: number | string }>(
      `SELECT k, sum(n) AS n FROM (${pieces
        .map(
          ({ ats }) => `SELECT grid_id AS k, n FROM rollup_grids
            WHERE span_ms = ? AND bucket_at IN (${ats.map(() => '?').join(', ')}) AND ${scope.sql}`,
        )
        .join(' UNION ALL ')}) AS pieces GROUP BY k`,
      pieces.flatMap(({ span, ats }) => [span, ...ats, ...scope.params]),
    );
    return rows.map((r) => ({ k: r.k, n: Number(r.n) }));
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
