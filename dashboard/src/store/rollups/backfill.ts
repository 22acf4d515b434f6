import type { SqlDb, SqlExec } from '../sql/sql-db.js';
import { cellFromScan, cellSql } from './cells.js';
import { raiseEpoch } from './generations.js';
import { RollupDelta, applyRollups } from './rollup-writer.js';
import { DAY, HOUR, dayStart } from './spans.js';

/** The migration that creates the roll-up tables; its backfill step runs in the same transaction. */
export const ROLLUP_MIGRATION = 16;

export type RollupProgress = (p: { events: number; total: number; day: number }) => void;

/**
 * Counts every stored event into the roll-ups, a China Standard Time day at a
 * time (skipping empty days), grouping in SQL with the scan's own cell
 * expressions so the result is the scan's by construction. Run inside the
 * migration's transaction, so no event is counted twice or missed by an
 * ingest running meanwhile. Returns how many events it counted.
 */
export async function backfillRollups(t: SqlExec, progress: RollupProgress = () => {}): Promise<number> {
  const all = await t.get<{ lo: number | null; n: number }>('SELECT min(received_at) AS lo, count(*) AS n FROM events');
  const total = Number(all?.n ?? 0);
  if (!total || all?.lo === null || all?.lo === undefined) return 0;
  const x = cellSql('lng');
  const y = cellSql('lat');
  let done = 0;
  let day: number | null = dayStart(Number(all.lo));
  while (day !== null) {
    const rows = await t.all<{
      h: number;
      grid_id: string;
      kind: string;
      kx: number | null;
      ky: number | null;
      ex: number | null;
      ey: number | null;
      n: number;
    }>(
      `SELECT received_at / ${HOUR} AS h, grid_id, kind, ${x.k} AS kx, ${y.k} AS ky, ${x.edge} AS ex, ${y.edge} AS ey,
              count(*) AS n
       FROM events WHERE received_at >= ? AND received_at < ?
       GROUP BY received_at / ${HOUR}, grid_id, kind, ${x.k}, ${y.k}, ${x.edge}, ${y.edge}`,
      [day, day + DAY],
    );
    const delta = new RollupDelta(null);
    for (const r of rows) {
      const n = Number(r.n);
      delta.add({
        at: Number(r.h) * HOUR,
        gridId: r.grid_id,
        kind: r.kind,
        cx: cellFromScan(r.kx === null ? null : Number(r.kx), r.ex),
        cy: cellFromScan(r.ky === null ? null : Number(r.ky), r.ey),
        n,
      });
      done += n;
    }
    // No generations here: migration 016 runs before they exist; a rebuild raises the epoch instead.
    await applyRollups(t, delta);
    progress({ events: done, total, day });
    const next: { m: number | null } | undefined = await t.get<{ m: number | null }>(
      'SELECT min(received_at) AS m FROM events WHERE received_at >= ?',
      [day + DAY],
    );
    day = next?.m === null || next?.m === undefined ? null : dayStart(Number(next.m));
  }
  return done;
}

/**
 * Recounts the roll-ups from the events, in one transaction (for a database
 * whose events were written around the store, as benchmarks load history).
 */
export async function rebuildRollups(db: SqlDb, progress?: RollupProgress): Promise<number> {
  return db.tx(async (t) => {
    await t.run('DELETE FROM rollup_cells');
    await t.run('DELETE FROM rollup_grids');
    await raiseEpoch(t);
    return backfillRollups(t, progress);
  });
}
