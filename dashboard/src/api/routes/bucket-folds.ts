/**
 * Settled roll-up buckets, folded once (counts per key: a heat cell, a grid)
 * and kept in this hub node's memory. A city's day is ten buckets of tens of
 * thousands of cells each; the engine folding their hundreds of thousands of
 * roll-up rows was nearly all of a city-wide heatmap's time (docs/scale.md).
 * A bucket that has ended changes only through late events or retention,
 * which raise its generation (store/rollups/generations.ts); a fold is used
 * only while its generation and the epoch are the ones it was made at.
 *
 * Keys are numbered by a dictionary shared by all folds, so summing folds is
 * adding arrays. Folds are evicted oldest-used first beyond `maxCells` keys
 * in all (12 bytes each); the dictionary starts afresh, with no folds, when it
 * passes `maxKeys` (a city's cells are its devices' positions: tens of
 * thousands; its grids, tens of thousands).
 */
export class Folds<K> {
  private dict = new KeyIds<K>();
  private readonly folds = new Map<string, Fold<K>>();
  private cells = 0;

  constructor(
    private readonly maxCells = 2_000_000,
    private readonly maxKeys = 1_000_000,
  ) {}

  /** The dictionary a read uses from start to end (a fresh one may replace it meanwhile; its folds then miss). */
  ids(): KeyIds<K> {
    if (this.dict.size > this.maxKeys) {
      this.dict = new KeyIds<K>();
      this.folds.clear();
      this.cells = 0;
    }
    return this.dict;
  }

  /** The fold of a bucket for a scope and kind filter, if it is still current. */
  get(dict: KeyIds<K>, filter: string, span: number, at: number, epoch: number, gen: number): Fold<K> | undefined {
    const k = foldKey(filter, span, at);
    const f = this.folds.get(k);
    if (!f) return undefined;
    if (f.dict !== dict || f.epoch !== epoch || f.gen !== gen) {
      this.drop(k, f);
      return undefined;
    }
    // Most recently used last.
    this.folds.delete(k);
    this.folds.set(k, f);
    return f;
  }

  put(filter: string, span: number, at: number, fold: Fold<K>): void {
    const k = foldKey(filter, span, at);
    const old = this.folds.get(k);
    if (old) this.drop(k, old);
    if (fold.ids.length > this.maxCells) return;
    this.folds.set(k, fold);
    this.cells += fold.ids.length;
    for (const [key, f] of this.folds) {
      if (this.cells <= this.maxCells) break;
      this.drop(key, f);
    }
  }

  /** Folds kept and their cells (tests read it). */
  get size(): { folds: number; cells: number } {
    return { folds: this.folds.size, cells: this.cells };
  }

  private drop(k: string, f: Fold<K>): void {
    this.folds.delete(k);
    this.cells -= f.ids.length;
  }
}

/** One bucket's counts in one scope and filter: key ids of `dict` and their counts. */
export interface Fold<K> {
  dict: KeyIds<K>;
  epoch: number;
  gen: number;
  ids: Uint32Array;
  n: Float64Array;
}

const foldKey = (filter: string, span: number, at: number) => `${filter}|${span}|${at}`;

/** Keys numbered 0, 1, 2, … in the order first seen. */
export class KeyIds<K> {
  private readonly index = new Map<K, number>();
  readonly keys: K[] = [];

  id(key: K): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push(key);
    }
    return i;
  }

  get size(): number {
    return this.keys.length;
  }
}

/** Counts per key id, summed from folds and rows. */
export class FoldSum<K> {
  private parts: { ids: ArrayLike<number>; n: ArrayLike<number> }[] = [];

  constructor(private readonly dict: KeyIds<K>) {}

  add(ids: ArrayLike<number>, n: ArrayLike<number>): void {
    this.parts.push({ ids, n });
  }

  /** Rows of (key, count), numbered through the dictionary. */
  addRows(rows: readonly { k: K; n: number }[]): void {
    const ids = new Uint32Array(rows.length);
    const n = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      ids[i] = this.dict.id(rows[i]!.k);
      n[i] = rows[i]!.n;
    }
    this.add(ids, n);
  }

  /** Each key present, with its total, in no particular order. */
  totals(): { keys: K[]; n: Float64Array } {
    const { acc, seen, count } = this.accumulate();
    const keys = new Array<K>(count);
    const n = new Float64Array(count);
    let j = 0;
    for (let i = 0; i < acc.length; i++)
      if (seen[i]) {
        keys[j] = this.dict.keys[i]!;
        n[j++] = acc[i]!;
      }
    return { keys, n };
  }

  private accumulate(): { acc: Float64Array; seen: Uint8Array; count: number } {
    const acc = new Float64Array(this.dict.size);
    const seen = new Uint8Array(this.dict.size);
    for (const { ids, n } of this.parts)
      for (let i = 0; i < ids.length; i++) {
        acc[ids[i]!]! += n[i]!;
        seen[ids[i]!] = 1;
      }
    let count = 0;
    for (let i = 0; i < seen.length; i++) count += seen[i]!;
    return { acc, seen, count };
  }

  /**
   * Each cell key (heat-query.ts) present with its total, most first and then
   * by key. Keys are ordered as the cells' x and then y, so this is the order
   * of sortCells. Sorted as one 64-bit integer per cell, (2^25 − n) × 2^38 + key,
   * natively (a comparator over 37,000 objects took 15-25 ms); a cell of 2^25
   * events or more, which no window of a real city holds, falls back to a comparator.
   */
  sorted(this: FoldSum<number>): { keys: Float64Array; n: Float64Array } {
    const totals = this.totals();
    const keys = Float64Array.from(totals.keys);
    const n = totals.n;
    const count = keys.length;
    if (n.some((v) => v >= N_LIMIT || !Number.isInteger(v)) || keys.some((k) => k >= KEY_LIMIT)) {
      const order = Array.from(keys, (_, i) => i).sort((a, b) => n[b]! - n[a]! || keys[a]! - keys[b]!);
      return { keys: Float64Array.from(order, (i) => keys[i]!), n: Float64Array.from(order, (i) => n[i]!) };
    }
    const packed = new BigInt64Array(count);
    for (let i = 0; i < count; i++) packed[i] = (BigInt(N_LIMIT - n[i]!) << 38n) | BigInt(keys[i]!);
    packed.sort();
    for (let i = 0; i < count; i++) {
      const v = packed[i]!;
      n[i] = N_LIMIT - Number(v >> 38n);
      keys[i] = Number(v & KEY_MASK);
    }
    return { keys, n };
  }
}

const N_LIMIT = 2 ** 25;
const KEY_LIMIT = 2 ** 38;
const KEY_MASK = BigInt(KEY_LIMIT) - 1n;
