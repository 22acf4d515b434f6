/**
 * Small-count suppression for anything about people that leaves the server:
 * a count below the threshold (default 5) is never sent as a number, only as
 * "<5", so one household cannot be singled out in a grid (PIPL; DOMAIN.md).
 */
export const SUPPRESSION_THRESHOLD = 5;

/** A count as it may be shown: the number, or the marker that it is small. */
export type SafeCount = number | `<${number}`;

export function suppress(count: number, threshold = SUPPRESSION_THRESHOLD): SafeCount {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`a count must be a non-negative integer, got ${count}`);
  return count > 0 && count < threshold ? `<${threshold}` : count;
}

/**
 * Suppresses every cell of a table, and also protects against subtraction: if
 * exactly one cell in a row is suppressed and the row total is shown, the
 * total would give it away, so the smallest other non-zero cell is suppressed
 * too (complementary suppression).
 */
export function suppressRow(
  cells: Record<string, number>,
  threshold = SUPPRESSION_THRESHOLD,
): { cells: Record<string, SafeCount>; total: SafeCount } {
  const out: Record<string, SafeCount> = {};
  let total = 0;
  const hidden: string[] = [];
  for (const [k, v] of Object.entries(cells)) {
    out[k] = suppress(v, threshold);
    total += v;
    if (typeof out[k] === 'string') hidden.push(k);
  }
  if (hidden.length === 1) {
    const next = Object.entries(cells)
      .filter(([k, v]) => !hidden.includes(k) && v > 0)
      .sort((a, b) => a[1] - b[1])[0];
    if (next) out[next[0]] = `<${threshold}` as SafeCount;
  }
  return { cells: out, total: suppress(total, threshold) };
}
