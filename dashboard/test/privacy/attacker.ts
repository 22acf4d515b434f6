import { publishRow } from '../../src/privacy/safe-counts.js';

/**
 * The attacker, written independently of publishRow's own check: every
 * assignment of the hidden cells (each ≥ 1, summing to total − visible) that
 * the published pipeline would show identically. Returns the possible values
 * per hidden cell, stopping early once each has two.
 */
export function possibleHiddenValues(row: Row) {
  const hidden = Object.keys(row.cells).filter((k) => typeof row.cells[k] === 'string');
  const visible = Object.fromEntries(Object.entries(row.cells).filter(([, v]) => typeof v === 'number')) as Record<
    string,
    number
  >;
  const sum = (row.total as number) - Object.values(visible).reduce((a, b) => a + b, 0);
  const seen = hidden.map(() => new Set<number>());
  const vals: number[] = [];
  const done = () => seen.every((s) => s.size >= 2);
  const walk = (i: number, left: number): void => {
    if (done()) return;
    if (i === hidden.length - 1) {
      vals[i] = left;
      const candidate = { ...visible };
      hidden.forEach((k, j) => (candidate[k] = vals[j]!));
      const again = publishRow(candidate);
      if (same(again, row)) vals.forEach((v, j) => seen[j]!.add(v));
      return;
    }
    for (let v = 1; v <= left - (hidden.length - 1 - i); v++) {
      vals[i] = v;
      walk(i + 1, left - v);
    }
  };
  if (hidden.length) walk(0, sum);
  return seen;
}

export type Row = { cells: Record<string, number | string>; total: number | string | null };
function same(a: Row, b: Row): boolean {
  const keys = Object.keys(a.cells).sort();
  return (
    a.total === b.total &&
    keys.join() === Object.keys(b.cells).sort().join() &&
    keys.every((k) => a.cells[k] === b.cells[k])
  );
}
