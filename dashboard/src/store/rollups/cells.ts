/**
 * The heatmap's cells: ~110 m squares, 3 decimals of a degree (device
 * positions, never people, and coarser still). A cell is kept as an integer
 * index, round(v, 3) × 1000, computed here exactly as the scan computes it in
 * SQL (api/routes/event-scan.ts): floor(v × 1000 + 0.5) in IEEE doubles, and
 * for values within a hair of a half-cell edge the exact decimal rounding of
 * toFixed. index / 1000 gives back the very double the scan answers.
 */
export const CELL_DECIMALS = 3;
const F = 10 ** CELL_DECIMALS;
/** The index of an event without a position (only rows from before positions were stored). */
export const NO_POSITION = -1_000_000_000;

/** A cell index from what the scan's SQL gives: the floor index, or the exact value near an edge. */
export function cellFromScan(k: number | null, exact: number | null): number {
  if (exact !== null) return Math.round(Number(exact.toFixed(CELL_DECIMALS)) * F);
  return k === null ? NO_POSITION : k;
}

/** The cell index of a longitude or latitude (null: no position). */
export function cellOf(v: number | null): number {
  if (v === null) return NO_POSITION;
  const m = v * F;
  const nearEdge = Math.abs(m - Math.floor(m) - 0.5) < 0.000001;
  return cellFromScan(Math.floor(m + 0.5), nearEdge ? v : null);
}

/** A cell index back to degrees, the double the scan answers (null: no position). */
export function cellDegrees(index: number): number | null {
  return index === NO_POSITION ? null : index / F;
}

/** The SQL the scan and the backfill share: floor index and edge value of a column. */
export function cellSql(col: string): { k: string; edge: string } {
  return {
    k: `floor(${col} * ${F} + 0.5)`,
    edge: `CASE WHEN abs(${col} * ${F} - floor(${col} * ${F}) - 0.5) < 0.000001 THEN ${col} END`,
  };
}
