import type { SqlDb } from '../../store/sql/sql-db.js';
import { bucketKey, readGenerations, SETTLE_MS } from '../../store/rollups/generations.js';
import { windowPieces, type WindowPiece, type WindowPlan } from '../../store/rollups/spans.js';
import { FoldSum, Folds } from './bucket-folds.js';

/** Buckets waiting to be folded, at most: beyond this a read just reads their rows, as before any fold. */
const MAX_WAITING = 256;

/** What a read is of (a scope, a kind filter), and its name as part of a fold's. */
export interface FoldFilter {
  name: string;
}

/** Counts of the plan's roll-up buckets, and how they were read. */
export interface FoldedRead<K> {
  sum: FoldSum<K>;
  /** Roll-up buckets in the plan (its partial hours at either end are not among them). */
  buckets: number;
  /** Of those, how many came from folds kept in memory. */
  folded: number;
  /** Settled buckets this node has yet to fold, all reads together. */
  waiting: number;
}

/**
 * Reads a window's roll-up buckets through folds (bucket-folds.ts): the ones
 * that have settled (ended SETTLE_MS ago) from their folds where it has them,
 * everything else (buckets not settled, or not folded yet) from the roll-up
 * rows in one statement (`rowsOf`). Settled buckets it found no fold for are
 * folded afterwards, one bucket per turn of the event loop, so the read that
 * finds them missing costs what a read without folds costs and the next one
 * is served from memory (a city's day of heat: ~300,000 roll-up rows folded
 * once, not on every wall refresh).
 */
export class FoldedBuckets<K, F extends FoldFilter> {
  private readonly waiting = new Map<string, () => Promise<void>>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: SqlDb,
    /** The roll-up rows of some buckets, summed per key, in one statement. */
    private readonly rowsOf: (filter: F, pieces: WindowPiece[]) => Promise<{ k: K; n: number }[]>,
    readonly folds = new Folds<K>(),
  ) {}

  async read(filter: F, plan: WindowPlan): Promise<FoldedRead<K>> {
    const settled = Date.now() - SETTLE_MS;
    const pieces = windowPieces(plan);
    const ended: [number, number][] = [];
    for (const { span, ats } of pieces) for (const at of ats) if (at + span <= settled) ended.push([span, at]);
    const dict = this.folds.ids();
    const sum = new FoldSum<K>(dict);
    // Generations before rows: a late event committed in between leaves a fold that is dropped next time.
    const { epoch, gens } = ended.length ? await readGenerations(this.db, ended) : { epoch: 0, gens: new Map() };
    let buckets = 0;
    let folded = 0;
    const fromRows = pieces.map(({ span, ats }) => ({
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
    const rest = fromRows.filter((p) => p.ats.length);
    if (rest.length) sum.addRows(await this.rowsOf(filter, rest));
    return { sum, buckets, folded, waiting: this.waiting.size };
  }

  /** Resolves when no bucket is waiting to be folded (tests, and a hub stopping). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Queues a settled bucket's fold (once, however many reads miss it meanwhile). */
  private foldLater(filter: F, span: number, at: number): void {
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

  private async fold(filter: F, span: number, at: number): Promise<void> {
    const dict = this.folds.ids();
    const { epoch, gens } = await readGenerations(this.db, [[span, at]]);
    const rows = await this.rowsOf(filter, [{ span, ats: [at] }]);
    const ids = new Uint32Array(rows.length);
    const n = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      ids[i] = dict.id(rows[i]!.k);
      n[i] = rows[i]!.n;
    }
    this.folds.put(filter.name, span, at, { dict, epoch, gen: gens.get(bucketKey(span, at)) ?? 0, ids, n });
  }
}
