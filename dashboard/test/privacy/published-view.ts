import { SUPPRESSION_THRESHOLD } from '@linli/geo';
import { Attacker, type Range } from './attacker.js';

/** One grid row as a count endpoint returns it (the current shape and the shapes published before). */
export interface ViewRow {
  gridCode: string;
  cells: Record<string, unknown>;
  total: unknown;
}

export interface Knowledge {
  threshold?: number;
  /** The method shows zeros as 0, so "<5" means 1–4 (true before this method; an attacker would know). */
  zerosShown?: boolean;
}

/** The name of one true count: a grid and a category. */
export const cellName = (gridCode: string, category: string) => `${gridCode}|${category}`;

/** What a single figure says about a count (or a sum of counts); anything unknown fails the test loudly. */
function figure(v: unknown, k: Knowledge): Range | null {
  const t = k.threshold ?? SUPPRESSION_THRESHOLD;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { min: v, max: v };
  if (v === `<${t}`) return { min: k.zerosShown ? 1 : 0, max: t - 1 };
  if (typeof v === 'object' && v && 'min' in v && 'max' in v) {
    const r = v as Range;
    if (Number.isInteger(r.min) && Number.isInteger(r.max) && r.min <= r.max) return { min: r.min, max: r.max };
  }
  throw new Error(`a count endpoint published a figure the attacker cannot read: ${JSON.stringify(v)}`);
}

/** Feeds every figure of the rows to the attacker: each cell, and each total as the sum of the cells listed beside it. */
export function learnRows(att: Attacker, rows: readonly ViewRow[], k: Knowledge = {}): void {
  for (const row of rows) {
    const names = Object.keys(row.cells).map((c) => cellName(row.gridCode, c));
    for (const [c, v] of Object.entries(row.cells)) {
      const r = figure(v, k);
      if (r) att.learn([cellName(row.gridCode, c)], r);
      else att.unknown(cellName(row.gridCode, c));
    }
    const total = figure(row.total, k);
    if (total && names.length) att.learn(names, total);
  }
}

/** The cells some row shows only as a marker. */
export function hiddenCells(rows: readonly ViewRow[]): string[] {
  const out = new Set<string>();
  for (const row of rows)
    for (const [c, v] of Object.entries(row.cells)) if (typeof v !== 'number') out.add(cellName(row.gridCode, c));
  return [...out].sort();
}

export interface Exposure {
  cell: string;
  bounds: Range | null;
  truth: number | undefined;
}

/**
 * The protection this method promises, checked: every hidden cell's exact
 * feasible interval is at least threshold − 1 wide (all of 0…threshold−1),
 * and holds the true value (else the attacker's model, or the publication,
 * is wrong). Returns every cell that fails, with what the attacker worked out.
 */
export function exposures(
  att: Attacker,
  hidden: readonly string[],
  truth: (cell: string) => number | undefined,
  threshold = SUPPRESSION_THRESHOLD,
): Exposure[] {
  const out: Exposure[] = [];
  for (const cell of hidden) {
    const bounds = att.bounds(cell);
    const t = truth(cell);
    const wide = bounds !== null && bounds.max - bounds.min >= threshold - 1;
    const holds = bounds !== null && (t === undefined || (bounds.min <= t && t <= bounds.max));
    if (!wide || !holds) out.push({ cell, bounds, truth: t });
  }
  return out;
}
