import { type SafeCount, SUPPRESSION_THRESHOLD, suppress } from '@linli/geo';

/** What a published figure says about the true count: it lies in [min, max]. */
export interface CountRange {
  min: number;
  max: number;
}

/** A published row: every cell on its own, and the total only as the range those cells imply. */
export interface PublishedRow {
  cells: Record<string, SafeCount>;
  /** Derived from the published cells alone (min = max when none is hidden); never the true sum. */
  total: CountRange;
}

/**
 * The one way a count about people leaves the hub: threshold suppression of
 * each cell on its own, with no margins published (Hundepool et al.,
 * "Statistical Disclosure Control", Wiley 2012, ch. 4–5: secondary
 * suppression exists only because published totals and subtotals tie hidden
 * cells to shown ones; a table published without them needs none).
 * docs/hub.md ("Counts about people") states the promise and its limits.
 *
 * Each cell is shown as itself from the threshold up and as "<5" below it,
 * zero included. A figure depends on one true count only, and the same count
 * always gives the same figure, so nothing a viewer can fetch (the row, a
 * one-category projection of it, sibling grids, the same query again later)
 * is a sum over a hidden cell: the attacker's feasible set is the product of
 * each cell's own range, and every hidden cell keeps all of 0…threshold−1
 * (width threshold − 1). Sums (a grid's total, a community's) exist only as
 * ranges computed from the published cells, which carry nothing more.
 * dashboard/test/privacy/count-endpoints.test.ts solves for hidden cells from
 * everything a viewer can fetch and fails if any interval is narrower.
 */
export function publishCell(n: number, threshold = SUPPRESSION_THRESHOLD): SafeCount {
  return suppress(n, threshold);
}

/** The range a published figure stands for (what anyone, attacker included, may conclude from it alone). */
export function figureRange(c: SafeCount, threshold = SUPPRESSION_THRESHOLD): CountRange {
  return typeof c === 'number' ? { min: c, max: c } : { min: 0, max: threshold - 1 };
}

/** The range of a sum of published figures: as wide as their ranges add up to, no narrower. */
export function sumRange(figures: readonly SafeCount[], threshold = SUPPRESSION_THRESHOLD): CountRange {
  let min = 0;
  let max = 0;
  for (const f of figures) {
    const r = figureRange(f, threshold);
    min += r.min;
    max += r.max;
  }
  return { min, max };
}

/** Publishes one row of counts: each cell by publishCell, the total as the range of the published cells. */
export function publishRow(cells: Record<string, number>, threshold = SUPPRESSION_THRESHOLD): PublishedRow {
  const out: Record<string, SafeCount> = {};
  for (const [k, v] of Object.entries(cells)) out[k] = publishCell(v, threshold);
  return { cells: out, total: sumRange(Object.values(out), threshold) };
}
