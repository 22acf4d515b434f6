import { type SafeCount, SUPPRESSION_THRESHOLD, suppressRow } from './suppress.js';

export interface CountInput {
  gridId: string;
  /** ms since epoch */
  time: number;
  category: string;
}

export type Bucket = 'hour' | 'day';

/** Start of the hour or (Beijing, UTC+8) day containing `t`. */
export function bucketStart(t: number, bucket: Bucket): number {
  if (bucket === 'hour') return Math.floor(t / 3_600_000) * 3_600_000;
  const offset = 8 * 3_600_000; // the cockpit's days are China days
  return Math.floor((t + offset) / 86_400_000) * 86_400_000 - offset;
}

/** Counts per grid, time bucket and category, suppressed before anything can leave the server. */
export function countByGrid(
  items: Iterable<CountInput>,
  bucket: Bucket,
  threshold = SUPPRESSION_THRESHOLD,
): { gridId: string; bucket: number; cells: Record<string, SafeCount>; total: SafeCount }[] {
  const rows = new Map<string, { gridId: string; bucket: number; cells: Record<string, number> }>();
  for (const it of items) {
    const b = bucketStart(it.time, bucket);
    const key = `${it.gridId}|${b}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { gridId: it.gridId, bucket: b, cells: {} }));
    row.cells[it.category] = (row.cells[it.category] ?? 0) + 1;
  }
  return [...rows.values()]
    .sort((a, b) => a.gridId.localeCompare(b.gridId) || a.bucket - b.bucket)
    .map((r) => ({ gridId: r.gridId, bucket: r.bucket, ...suppressRow(r.cells, threshold) }));
}
