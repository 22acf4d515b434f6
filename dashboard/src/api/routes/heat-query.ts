import type { SqlDb } from '../../store/sql/sql-db.js';
import { NO_POSITION, cellDegrees } from '../../store/rollups/cells.js';
import { readSealed } from '../../store/rollups/seals.js';
import { planWindow, type WindowPiece } from '../../store/rollups/spans.js';
import type { Folds } from './bucket-folds.js';
import type { EventScan, HeatCell } from './event-scan.js';
import { FoldedBuckets, type FoldedRead } from './folded-buckets.js';
import { scopeWhere } from './scope-where.js';

/** A cell index back from the scan's degrees (x / 1000 and this are inverse on 3-decimal doubles). */
const cellIndex = (v: number | null) => (v === null ? NO_POSITION : Math.round(v * 1000));
/**
 * A cell index as a small non-negative integer, and back: indexes of real positions lie within ±180,000
 * (degrees × 1000), so cellKey(x) × KEY_BASE + cellKey(y) is a safe integer naming one cell.
 */
const KEY_BASE = 400_000;
const UNPLACED_KEY = KEY_BASE - 1;
const cellKey = (i: number) => (i === NO_POSITION ? UNPLACED_KEY : i + 200_000);
const keyCell = (k: number) => (k === UNPLACED_KEY ? NO_POSITION : k - 200_000);
/** cellKey in SQL, as a 64-bit integer on both engines (PostgreSQL's INTEGER would overflow). */
const cellKeySql = (col: string) =>
  `(CASE WHEN ${col} = ${NO_POSITION} THEN ${UNPLACED_KEY} ELSE CAST(${col} AS BIGINT) + 200000 END)`;
const KEY_SQL = `${cellKeySql('cx')} * ${KEY_BASE} + ${cellKeySql('cy')}`;
/** The heat, and how its buckets were read (folded-buckets.ts). */
export type HeatRead = Omit<FoldedRead<number>, 'sum'> & {
  /** Most first (ties by position, cells without one last). */
  cells: HeatCell[];
};

interface Filter {
  areaCode: string;
  kinds: readonly string[] | null;
  /** The scope and kinds as one string, part of a fold's name. */
  name: string;
}

/**
 * The heatmap: events per ~110 m cell in a window, from the roll-ups, the
 * settled buckets through folds kept in memory (folded-buckets.ts), the
 * partial hours at the window's ends from the events.
 */
export class HeatQuery {
  private readonly buckets: FoldedBuckets<number, Filter>;

  constructor(
    private readonly db: SqlDb,
    /** The events of the partial hours at a window's ends (EventScan by time). */
    private readonly edges: EventScan,
  ) {
    this.buckets = new FoldedBuckets(db, (filter, pieces) => this.rows(filter, pieces));
  }

  /** The settled buckets' heat this node keeps. */
  get folds(): Folds<number> {
    return this.buckets.folds;
  }

  async heat(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatCell[]> {
    return (await this.read(areaCode, from, to, kinds)).cells;
  }

  /** The heat, and how it was read: the window's roll-up buckets, how many came from folds, and how many wait to be folded. */
  async read(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatRead> {
    const filter: Filter = { areaCode, kinds, name: `${areaCode}|${kinds ? [...kinds].sort().join(',') : '*'}` };
    const plan = planWindow(from, to, await readSealed(this.db));
    const [{ sum, buckets, folded, waiting }, edgeCells] = await Promise.all([
      this.buckets.read(filter, plan),
      Promise.all(plan.edges.map(([a, b]) => this.edges.heat(areaCode, a, b, kinds))),
    ]);
    sum.addRows(
      edgeCells.flat().map((c) => ({ k: cellKey(cellIndex(c.x)) * KEY_BASE + cellKey(cellIndex(c.y)), n: c.n })),
    );
    const { keys, n } = sum.sorted();
    const cells = new Array<HeatCell>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      cells[i] = {
        x: cellDegrees(keyCell(Math.floor(key / KEY_BASE))),
        y: cellDegrees(keyCell(key % KEY_BASE)),
        n: n[i]!,
      };
    }
    return { cells, buckets, folded, waiting };
  }

  /** Resolves when no bucket is waiting to be folded (tests, and a hub stopping). */
  idle(): Promise<void> {
    return this.buckets.idle();
  }

  /**
   * Every span's buckets in one statement, summed by one integer key per cell: the engine folds a city's
   * hundreds of thousands of roll-up rows into its tens of thousands of cells once, and only those reach JS
   * (one GROUP BY per span, on two columns, then a JS merge took 40 % longer: bench/heatmap.bench.mjs).
   */
  private async rows(filter: Filter, pieces: WindowPiece[]): Promise<{ k: number; n: number }[]> {
    const scope = scopeWhere('grid_id', filter.areaCode, this.db.dialect);
    const byKind = filter.kinds ? `AND kind IN (${filter.kinds.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all<{ k: number | string; n: number | string }>(
      `SELECT k, sum(n) AS n FROM (${pieces
        .map(
          ({ ats }) => `SELECT ${KEY_SQL} AS k, n FROM rollup_cells
            WHERE span_ms = ? AND bucket_at IN (${ats.map(() => '?').join(', ')}) AND ${scope.sql} ${byKind}`,
        )
        .join(' UNION ALL ')}) AS pieces GROUP BY k`,
      pieces.flatMap(({ span, ats }) => [span, ...ats, ...scope.params, ...(filter.kinds ?? [])]),
    );
    return rows.map((r) => ({ k: Number(r.k), n: Number(r.n) }));
  }
}
