import type { SqlDb, SqlExec } from '../sql/sql-db.js';
import { markChanged, SETTLE_MS } from './generations.js';
import { DAY, HOUR, QUARTER, SEALED_SPANS, WEEK, bucketStart, sealedFor, type SealedTo } from './spans.js';

/**
 * Sealing the roll-ups' longer spans (migration 023). Ingest counts every event
 * in its hour, but in its quarter day, day and week only when that bucket has
 * already ended (a gateway's backlog): counting the live stream four times was
 * a fifth of the hub's ingest CPU (bench/hub-ingest.bench.mjs, docs/hub.md).
 * A bucket that was open while events arrived is written whole here instead,
 * once it has ended and settled (SETTLE_MS), as the sum of the span before it:
 * a quarter from its 6 hours, a day from its 4 quarters, a week from its 7
 * days. The sum replaces whatever rows the bucket had (a backlog's events
 * counted into it directly after it ended are in the shorter span too). Readers
 * use a bucket of these spans only if it is sealed (spans.ts planWindow).
 *
 * Why nothing is lost or counted twice:
 * - An event written while its bucket was open is in the hour rows, which the
 *   seal sums, since the seal runs SETTLE_MS after the bucket ended: the
 *   generations' assumption (generations.ts), clocks within SETTLE_MS and no
 *   ingest transaction that long.
 * - An event written after its bucket ended is added to the bucket directly,
 *   under a shared SEAL_LOCK; the sealer holds it exclusively. Before the seal
 *   the sum replaces the direct count (and includes the event through the
 *   shorter span); after it the event adds to the sealed rows. On PostgreSQL
 *   (read committed) the sealer's statements after the lock see every writer
 *   that held it; on SQLite write transactions are exclusive anyway.
 */
export const SEAL_MIGRATION = 23;
export const SEAL_LOCK = 'linli:rollup-seal';

/** Each sealed span is the sum of the span before it. */
const SOURCE: Record<number, number> = { [QUARTER]: HOUR, [DAY]: QUARTER, [WEEK]: DAY };

/** Migration 023's step: every bucket ended before `now` was counted whole by earlier versions' ingest. */
export async function startSeals(t: SqlExec, now: number): Promise<void> {
  for (const span of SEALED_SPANS)
    await t.run(
      'INSERT INTO rollup_sealed (span_ms, sealed_to) VALUES (?, ?) ON CONFLICT (span_ms) DO UPDATE SET sealed_to = excluded.sealed_to',
      [span, bucketStart(span, now)],
    );
}

/**
 * Where each span is sealed to. A reader may keep an older answer: a watermark
 * only rises, and an older one just reads some sealed buckets in shorter spans.
 */
export async function readSealed(t: SqlExec): Promise<SealedTo> {
  const rows = await t.all<{ span_ms: number | string; sealed_to: number | string }>(
    'SELECT span_ms, sealed_to FROM rollup_sealed',
  );
  const to = new Map(rows.map((r) => [Number(r.span_ms), Number(r.sealed_to)]));
  return { quarter: to.get(QUARTER) ?? -Infinity, day: to.get(DAY) ?? -Infinity, week: to.get(WEEK) ?? -Infinity };
}

export interface SealProgress {
  span: number;
  at: number;
}

/**
 * Seals every bucket that ended SETTLE_MS before `now` (at most `limit` of
 * them: a hub back after weeks away catches up over several calls, and its
 * housekeeping is not held up meanwhile), quarters first (days are summed from
 * them), one bucket per transaction so ingest goes between them. Returns the
 * buckets sealed. Several hub nodes may run it at once: each bucket is sealed
 * by whoever takes SEAL_LOCK first, the others find it done.
 */
export async function sealRollups(
  db: SqlDb,
  now: number,
  { limit = Infinity, onSealed = () => {} }: { limit?: number; onSealed?: (p: SealProgress) => void } = {},
): Promise<number> {
  let sealed = 0;
  for (const span of SEALED_SPANS) {
    while (sealed < limit) {
      const at = await db.tx((t) => sealNext(t, span, now));
      if (at === null) break;
      sealed++;
      onSealed({ span, at });
    }
  }
  return sealed;
}

/** Seals the next bucket of `span` if it has settled and its source span is sealed past it; returns its start. */
async function sealNext(t: SqlExec, span: number, now: number): Promise<number | null> {
  await t.lock(SEAL_LOCK);
  const sealed = await readSealed(t);
  const source = SOURCE[span]!;
  let at = sealedFor(sealed, span);
  if (!Number.isFinite(at)) {
    // No watermark (a database migrated without 023's step): hours hold every event, so sealing from the
    // first bucket the source span has rebuilds this span whole. With no rows at all, nothing before now is owed.
    const first = await t.get<{ lo: number | string | null }>(
      'SELECT min(bucket_at) AS lo FROM rollup_grids WHERE span_ms = ?',
      [source],
    );
    at = bucketStart(span, first?.lo === null || first?.lo === undefined ? now : Number(first.lo));
    await t.run(
      'INSERT INTO rollup_sealed (span_ms, sealed_to) VALUES (?, ?) ON CONFLICT (span_ms) DO UPDATE SET sealed_to = excluded.sealed_to',
      [span, at],
    );
  }
  const end = at + span;
  // The source span must be complete for the whole bucket: hours always are; quarters and days once sealed.
  if (end > now - SETTLE_MS || end > sealedFor(sealed, source)) return null;
  await t.run('DELETE FROM rollup_cells WHERE span_ms = ? AND bucket_at = ?', [span, at]);
  await t.run(
    `INSERT INTO rollup_cells (span_ms, bucket_at, grid_id, kind, cx, cy, n)
     SELECT ?, ?, grid_id, kind, cx, cy, sum(n) FROM rollup_cells
     WHERE span_ms = ? AND bucket_at >= ? AND bucket_at < ?
     GROUP BY grid_id, kind, cx, cy HAVING sum(n) > 0`,
    [span, at, source, at, end],
  );
  await t.run('DELETE FROM rollup_grids WHERE span_ms = ? AND bucket_at = ?', [span, at]);
  await t.run(
    `INSERT INTO rollup_grids (span_ms, bucket_at, grid_id, n)
     SELECT ?, ?, grid_id, sum(n) FROM rollup_grids
     WHERE span_ms = ? AND bucket_at >= ? AND bucket_at < ?
     GROUP BY grid_id HAVING sum(n) > 0`,
    [span, at, source, at, end],
  );
  // Its rows changed after it ended: no node may keep a fold from before.
  await markChanged(t, [[span, at]], now);
  await t.run('UPDATE rollup_sealed SET sealed_to = ? WHERE span_ms = ?', [end, span]);
  return at;
}
