import type { SqlDb } from '../../store/sql/sql-db.js';
import { NO_POSITION, cellDegrees } from '../../store/rollups/cells.js';
import { bucketKey, readGenerations, SETTLE_MS } from '../../store/rollups/generations.js';
import { planWindow, windowPieces, type WindowPiece } from '../../store/rollups/spans.js';
import { EventScan, type HeatCell } from './event-scan.js';
import { HeatFolds, HeatSum } from './heat-folds.js';
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
/** Buckets waiting to be folded, at most: beyond this a read just reads their rows, as before any fold. */
const MAX_WAITING = 256;

export interface HeatRead {
  /** Most first (ties by position, cells without one last). */
  cells: HeatCell[];
  /** Roll-up buckets the window holds (its partial hours at either end are read from the events). */
  buckets: number;
  /** Of those, how many came from folds kept in memory. */
  folded: number;
  /** Settled buckets this node has yet to fold, all reads together. */
  waiting: number;
}

interface Filter {
  areaCode: string;
  kinds: readonly string[] | null;
  /** The scope and kinds as one string, part of a fold's name. */
  name: string;
}

/**
 * The heatmap: events per ~110 m cell in a window, from the roll-ups.
 *
 * A read takes the buckets that have settled (ended SETTLE_MS ago) from their
 * folds where it has them (heat-folds.ts), and everything else (buckets not
 * settled, or not folded yet) from the roll-up rows in one statement, plus the
 * partial hours at the window's ends from the events. Settled buckets it found
 * no fold for are folded afterwards, one bucket per turn of the event loop,
 * so the read that finds them missing costs what a read without folds costs
 * and the next one is served from memory (a city's day: ~300,000 roll-up rows
 * are folded once, not on every wall refresh).
 */
export class HeatQuery {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private running: Promise<void> | null = null;
  private readonly edges: EventScan;

  constructor(
    private readonly db: SqlDb,
    readonly folds = new HeatFolds(),
  ) {
    this.edges = new EventScan(db, true);
  }

  async heat(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatCell[]> {
    return (await this.read(areaCode, from, to, kinds)).cells;
  }

  /** The heat, and how it was read: the window's roll-up buckets, how many came from folds, and how many wait to be folded. */
  async read(areaCode: string, from: number, to: number, kinds: readonly string[] | null): Promise<HeatRead> {
    const filter: Filter = { areaCode, kinds, name: `${areaCode}|${kinds ? [...kinds].sort().join(',') : '*'}` };
    const plan = planWindow(from, to);
    const settled = Date.now() - SETTLE_MS;
    const ended: [number, number][] = [];
    for (const { span, ats } of windowPieces(plan))
      for (const at of ats) if (at + span <= settled) ended.push([span, at]);
    const dict = this.folds.ids();
    const sum = new HeatSum(dict);
    // Generations before rows: a late event committed in between leaves a fold that is dropped next time.
    const { epoch, gens } = ended.length ? await readGenerations(this.db, ended) : { epoch: 0, gens: new Map() };
    let buckets = 0;
    let folded = 0;
    const fromRows = windowPieces(plan).map(({ span, ats }) => ({
      span,
      ats: ats.filter((at) => {
        buckets++;
        if (at + span > settled) return true;
        const fold = this.folds.get(dict, filter.name, span, at, epoch, gens.get(bucketKey(span, at)) ?? 0);
        if (fold) {
          sum.add(fold.ids, fold.n);
          folded++;
        } else this.foldLater(filter, span, at);
        return !fold;
      }),
    }));
    const [rows, edgeCells] = await Promise.all([
      this.rows(
        filter,
        fromRows.filter((p) => p.ats.length),
      ),
      Promise.all(plan.edges.map(([a, b]) => this.edges.heat(areaCode, a, b, kinds))),
    ]);
    sum.addRows(rows);
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
    return { cells, buckets, folded, waiting: this.waiting.size };
  }

  /** Resolves when no bucket is waiting to be folded (tests, and a hub stopping). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Every span's buckets in one statement, summed by one integer key per cell: the engine folds a city's
   * hundreds of thousands of roll-up rows into its tens of thousands of cells once, and only those reach JS
   * (one GROUP BY per span, on two columns, then a JS merge took 40 % longer: bench/heatmap.bench.mjs).
   */
  private rows(filter: Filter, pieces: WindowPiece[]): Promise<{ k: number | string; n: number | string }[]> {
    if (!pieces.length) return Promise.resolve([]);
    const scope = scopeWhere('grid_id', filter.areaCode, this.db.dialect);
    const byKind = filter.kinds ? `AND kind IN (${filter.kinds.map(() => '?').join(', ')})` : '';
    return this.db.all<{ k: number | string; n: number | string }>(
      `SELECT k, sum(n) AS n FROM (${pieces
        .map(
          ({ ats }) => `SELECT ${KEY_SQL} AS k, n FROM rollup_cells
            WHERE span_ms = ? AND bucket_at IN (${ats.map(() => '?').join(', ')}) AND ${scope.sql} ${byKind}`,
        )
        .join(' UNION ALL ')}) AS pieces GROUP BY k`,
      pieces.flatMap(({ span, ats }) => [span, ...ats, ...scope.params, ...(filter.kinds ?? [])]),
    );
  }

  /** Queues a settled bucket's fold (once, however many reads miss it meanwhile). */
  private foldLater(filter: Filter, span: number, at: number): void {
    const name = `${filter.name}|${span}|${at}`;
    if (this.waiting.has(name) || this.waiting.size >= MAX_WAITING) return;
    this.waiting.set(name, () => this.fold(filter, span, at));
    this.kick();
  }

  private kick(): void {
    if (this.running || !this.waiting.size) return;
    this.running = this.work().finally(() => {
      this.running = null;
      this.kick();
    });
  }

  private async work(): Promise<void> {
    for (const [name, fold] of this.waiting) {
      // A turn of the event loop between buckets: ingest and other requests go between them.
      await new Promise((resolve) => setImmediate(resolve));
      // A fold that fails (the database closing, a dropped connection) is simply not kept: the next read
      // that misses it reads the rows and asks again, and reports the fault itself if it lasts.
      await fold().catch(() => {});
      this.waiting.delete(name);
    }
  }

  private async fold(filter: Filter, span: number, at: number): Promise<void> {
    const dict = this.folds.ids();
    const { epoch, gens } = await readGenerations(this.db, [[span, at]]);
    const rows = await this.rows(filter, [{ span, ats: [at] }]);
    const ids = new Uint32Array(rows.length);
    const n = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      ids[i] = dict.id(Number(rows[i]!.k));
      n[i] = Number(rows[i]!.n);
    }
    this.folds.put(filter.name, span, at, { dict, epoch, gen: gens.get(bucketKey(span, at)) ?? 0, ids, n });
  }
}
