import { type SafeCount, SUPPRESSION_THRESHOLD, suppressRow } from '@linli/geo';

/** A published row: geo's suppression, plus the total withheld (null) when it would give hidden cells away. */
export interface PublishedRow {
  cells: Record<string, SafeCount>;
  /** null: withheld, because with the visible cells it would pin a hidden one. */
  total: SafeCount | null;
}

/**
 * Publishes one row of counts. geo's `suppressRow` hides cells under the
 * threshold and one complementary cell, but the shown total still reveals the
 * sum of the hidden cells, and someone who knows the rule can sometimes solve
 * for them: two hidden cells that are both 1, or a complement that must be
 * the smallest visible-or-hidden cell ≥ threshold (cells 4, 5, 5 publish as
 * <5, <5, 5 with total 14: the hidden pair sums to 9 and the complement is
 * at most 5, so it is 5 and the other is 4). So every row is checked by
 * solving it the way an attacker would — every assignment of the hidden cells
 * that this same rule would publish identically — and if any hidden cell has
 * only one possible value, the total is withheld. The check depends only on
 * the published row, so withholding itself tells nothing more.
 */
export function publishRow(cells: Record<string, number>, threshold = SUPPRESSION_THRESHOLD): PublishedRow {
  const out = suppressRow(cells, threshold);
  return pinsHiddenCell(out, threshold) ? { cells: out.cells, total: null } : out;
}

function pinsHiddenCell(row: { cells: Record<string, SafeCount>; total: SafeCount }, threshold: number): boolean {
  if (typeof row.total !== 'number') return false;
  const hidden = Object.keys(row.cells).filter((k) => typeof row.cells[k] === 'string');
  if (hidden.length === 0) return false;
  const visible: Record<string, number> = {};
  let visibleSum = 0;
  for (const [k, v] of Object.entries(row.cells)) {
    if (typeof v !== 'number') continue;
    visible[k] = v;
    visibleSum += v;
  }
  const sum = row.total - visibleSum;
  const seen = hidden.map(() => new Set<number>());
  // Under suppressRow a hidden cell is below the threshold, except at most one complement (≥ threshold).
  const values = new Array<number>(hidden.length).fill(0);
  const tryCandidate = () => {
    const candidate = { ...visible };
    hidden.forEach((k, i) => (candidate[k] = values[i]!));
    const again = suppressRow(candidate, threshold);
    if (again.total !== row.total) return;
    for (const k of hidden) if (again.cells[k] !== row.cells[k]) return;
    values.forEach((v, i) => seen[i]!.add(v));
  };
  // Every hidden cell small...
  const fill = (i: number, left: number) => {
    if (i === hidden.length) {
      if (left === 0) tryCandidate();
      return;
    }
    for (let v = 1; v < threshold && v <= left; v++) {
      values[i] = v;
      fill(i + 1, left - v);
    }
  };
  fill(0, sum);
  // ...or one of them the complement, taking whatever the others leave.
  for (let big = 0; big < hidden.length; big++) {
    const others = hidden.map((_, i) => i).filter((i) => i !== big);
    const walk = (j: number, left: number) => {
      if (j === others.length) {
        if (left >= threshold) {
          values[big] = left;
          tryCandidate();
        }
        return;
      }
      for (let v = 1; v < threshold && v <= left; v++) {
        values[others[j]!] = v;
        walk(j + 1, left - v);
      }
    };
    walk(0, sum);
  }
  return seen.some((s) => s.size <= 1);
}
