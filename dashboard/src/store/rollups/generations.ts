import type { SqlExec } from '../sql/sql-db.js';

/**
 * Generations of ended roll-up buckets (migration 022), so a hub node can keep
 * a complete bucket's fold in memory (api/routes/folded-buckets.ts) and know when
 * it went stale, without locks between nodes:
 *
 * - A writer that changes a bucket which has already ended (a gateway's
 *   backlog after an outage, retention taking events away) raises that
 *   bucket's generation in the same transaction (applyRollups). A bucket that
 *   has not ended yet is not marked: nobody keeps a fold of it.
 * - Anything that rewrites the roll-ups wholesale raises the epoch, row (0, 0).
 * - A reader keeps only buckets that ended SETTLE_MS ago or more, and reads the
 *   generations *before* the rows it folds: a write that commits in between
 *   raised a generation it has not seen, so its fold is dropped next time
 *   rather than kept stale. A writer's "ended" and a reader's "ended
 *   SETTLE_MS ago" agree as long as the nodes' clocks are within SETTLE_MS and
 *   no ingest transaction lasts that long.
 */
export const SETTLE_MS = 10 * 60_000;
const EPOCH_SPAN = 0;

/** Where a bucket's generation is kept, as a map key. */
export const bucketKey = (span: number, at: number) => `${span}|${at}`;

/** Raises the generation of each ended bucket among `buckets` ([span, start]), in key order (no deadlock between nodes). */
export async function markChanged(
  t: SqlExec,
  buckets: Iterable<readonly [number, number]>,
  now: number,
): Promise<void> {
  const ended = new Map<string, [number, number]>();
  for (const [span, at] of buckets) if (span > 0 && at + span <= now) ended.set(bucketKey(span, at), [span, at]);
  if (!ended.size) return;
  const rows = [...ended.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  await t.run(
    `INSERT INTO rollup_generations (span_ms, bucket_at, gen) VALUES ${rows.map(() => '(?, ?, 1)').join(', ')}
     ON CONFLICT (span_ms, bucket_at) DO UPDATE SET gen = rollup_generations.gen + 1`,
    rows.flat(),
  );
}

/** Makes every fold kept anywhere stale: for what rewrites roll-ups around applyRollups (a rebuild, dropped days, a test's wipe). */
export async function raiseEpoch(t: SqlExec): Promise<void> {
  await t.run(
    `INSERT INTO rollup_generations (span_ms, bucket_at, gen) VALUES (${EPOCH_SPAN}, 0, 1)
     ON CONFLICT (span_ms, bucket_at) DO UPDATE SET gen = rollup_generations.gen + 1`,
  );
}

/** The epoch and the generations of `buckets` (absent: 0), read in one statement. */
export async function readGenerations(
  t: SqlExec,
  buckets: readonly (readonly [number, number])[],
): Promise<{ epoch: number; gens: Map<string, number> }> {
  const bySpan = new Map<number, number[]>();
  for (const [span, at] of buckets) (bySpan.get(span) ?? bySpan.set(span, []).get(span)!).push(at);
  const spans = [...bySpan];
  const rows = await t.all<{ span_ms: number | string; bucket_at: number | string; gen: number | string }>(
    `SELECT span_ms, bucket_at, gen FROM rollup_generations WHERE (span_ms = ${EPOCH_SPAN} AND bucket_at = 0)${spans
      .map(([, ats]) => ` OR (span_ms = ? AND bucket_at IN (${ats.map(() => '?').join(', ')}))`)
      .join('')}`,
    spans.flatMap(([span, ats]) => [span, ...ats]),
  );
  let epoch = 0;
  const gens = new Map<string, number>();
  for (const r of rows) {
    const span = Number(r.span_ms);
    if (span === EPOCH_SPAN) epoch = Number(r.gen);
    else gens.set(bucketKey(span, Number(r.bucket_at)), Number(r.gen));
  }
  return { epoch, gens };
}
