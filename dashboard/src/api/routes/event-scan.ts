import type { SqlDb } from '../../store/sql/sql-db.js';
import { CELL_DECIMALS, cellSql } from '../../store/rollups/cells.js';
import { scopeWhere } from './scope-where.js';

export interface HeatCell {
  /** Cell centre, degrees (3 decimals); null for events without a position. */
  x: number | null;
  y: number | null;
  n: number;
}

/** Most first; ties by position, cells without one last. */
export function sortCells(cells: HeatCell[]): HeatCell[] {
  const pos = (v: number | null) => (v === null ? Infinity : v);
  return cells.sort((a, b) => b.n - a.n || pos(a.x) - pos(b.x) || pos(a.y) - pos(b.y));
}

/**
 * Event aggregates read from the events themselves, the same statements on
 * SQLite and PostgreSQL. The roll-up queries (cockpit-queries.ts) use these
 * for the partial hours at a window's ends; the property test holds the
 * roll-ups to them over whole windows. Heatmap cells are integer cell indexes
 * floor(v × 1000 + 0.5) (both engines compute the same IEEE doubles), turned
 * into degrees here (k / 1000: the double nearest the 3-decimal value, as
 * SQLite's round(v, 3) gave; values on a half-cell edge are rounded exactly
 * in JS); sums are cast so both engines return plain numbers.
 */
export class EventScan {
  /**
   * `byTime`: the windows are short (the partial hours at a window's ends), so
   * SQLite reads them through the received_at index, rows in the window only,
   * instead of the whole scope's covering index it would otherwise pick.
   * PostgreSQL prunes to the window's day partition by itself.
   */
  constructor(
    private readonly db: SqlDb,
    private readonly byTime = false,
  ) {}

  private get events(): string {
    return this.byTime && this.db.dialect === 'sqlite' ? 'events INDEXED BY events_by_received' : 'events';
  }

  /** Events per ~110 m cell in the window and scope, most first (ties by position, cells without one last). */
  async heat(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatCell[]> {
    const scope = scopeWhere('grid_id', areaCode);
    const f = 10 ** CELL_DECIMALS;
    const x = cellSql('lng');
    const y = cellSql('lat');
    // Within a hair of a half-cell edge the float arithmetic may fall either way: those rows keep their
    // exact value, and toFixed (exact decimal rounding, as SQLite's round(v, 3) did) decides in JS.
    const byKind = kinds ? `AND kind IN (${kinds.map(() => '?').join(', ')})` : '';
    // Positions come from columns in a covering index (grid, time, lng, lat): the query never reads a row.
    const rows = await this.db.all<{
      kx: number | null;
      ky: number | null;
      ex: number | null;
      ey: number | null;
      n: number;
    }>(
      `SELECT ${x.k} AS kx, ${y.k} AS ky, ${x.edge} AS ex, ${y.edge} AS ey, count(*) AS n
       FROM ${this.events}
       WHERE ${scope.sql} AND received_at >= ? AND received_at < ? ${byKind}
       GROUP BY ${x.k}, ${y.k}, ${x.edge}, ${y.edge}`,
      [...scope.params, from, to, ...(kinds ?? [])],
    );
    const degrees = (k: number | null, exact: number | null) =>
      exact !== null ? Number(exact.toFixed(CELL_DECIMALS)) : k === null ? null : k / f;
    const cells = new Map<string, HeatCell>();
    for (const r of rows) {
      const cx = degrees(r.kx, r.ex);
      const cy = degrees(r.ky, r.ey);
      const key = `${cx},${cy}`;
      const c = cells.get(key);
      if (c) c.n += Number(r.n);
      else cells.set(key, { x: cx, y: cy, n: Number(r.n) });
    }
    return sortCells([...cells.values()]);
  }

  /** Events received in the window inside the area (the covering index answers it without reading rows). */
  async countEvents(areaCode: string, from: number, to: number): Promise<number> {
    const scope = scopeWhere('grid_id', areaCode);
    const row = await this.db.get<{ n: number }>(
      `SELECT count(*) AS n FROM ${this.events} WHERE ${scope.sql} AND received_at >= ? AND received_at < ?`,
      [...scope.params, from, to],
    );
    return Number(row?.n ?? 0);
  }

  /** Events per grid received in the window inside the area. */
  async eventsByGrid(areaCode: string, from: number, to: number): Promise<{ grid: string; n: number }[]> {
    const scope = scopeWhere('grid_id', areaCode);
    const rows = await this.db.all<{ grid: string; n: number }>(
      `SELECT grid_id AS grid, count(*) AS n FROM ${this.events}
       WHERE ${scope.sql} AND received_at >= ? AND received_at < ? GROUP BY grid_id`,
      [...scope.params, from, to],
    );
    return rows.map((r) => ({ grid: r.grid, n: Number(r.n) }));
  }
}
