/**
 * Small-count suppression for anything about people that leaves the server:
 * a count below the threshold (default 5), zero included, is never sent as a
 * number, only as "<5". So "<5" means "0 to 4": one household cannot be
 * singled out in a grid, and not even its presence (≥ 1) can be read off
 * (PIPL; DOMAIN.md). Totals and other sums are deliberately not here: a sum
 * shown beside hidden cells lets them be solved for (see the hub's
 * privacy/safe-counts.ts, which publishes no sums).
 */
export const SUPPRESSION_THRESHOLD = 5;

/** A count as it may be shown: the number, or the marker that it is below the threshold. */
export type SafeCount = number | `<${number}`;

/** The published form of one count: itself from the threshold up, otherwise the marker. */
export function suppress(count: number, threshold = SUPPRESSION_THRESHOLD): SafeCount {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`a count must be a non-negative integer, got ${count}`);
  return count < threshold ? `<${threshold}` : count;
}
