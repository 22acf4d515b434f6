import type { LinliEvent } from '@linli/contract';
import type { SqlExec, SqlValue } from '../sql/sql-db.js';
import { cellOf } from './cells.js';
import { markChanged, raiseEpoch } from './generations.js';
import { SEAL_LOCK } from './seals.js';
import { DAY, HOUR, QUARTER, SPANS, WEEK, bucketStart } from './spans.js';

/** What a roll-up needs of one event (or of a group of `n` events in one hour with the same key). */
export interface RollupInput {
  /** Any time inside the hour the events were received in. */
  at: number;
  gridId: string;
  kind: string;
  cx: number;
  cy: number;
  n: number;
}

/** What is counted of an event (a stored row may lack a position). */
export interface CountedEvent {
  receivedAt: number;
  kind: string;
  location: { gridId: string; lng: number | null; lat: number | null };
}

/** Rows per upsert statement: 7 parameters each, far under both engines' limits. */
const CHUNK = 400;

/**
 * A batch's changes to the roll-ups, summed per key in memory first so that a
 * batch does one upsert per key, whatever number of events it holds.
 */
export class RollupDelta {
  readonly cells = new Map<string, [number, number, string, string, number, number, number]>();
  readonly grids = new Map<string, [number, number, string, number]>();
  /** Whether it changes a bucket longer than an hour (one that has ended: a backlog, retention). */
  longSpans = false;

  /**
   * `now`: when the delta is written. A bucket longer than an hour that has not
   * ended by then is left to the sealer (seals.ts), which sums it from shorter
   * spans once it has. Null: every span (the backfill, before seals exist).
   */
  constructor(readonly now: number | null = Date.now()) {}

  /** Counts `r` (or takes it away, sign −1) in each of `spans`: every span but where a caller knows better. */
  add(r: RollupInput, sign = 1, spans: readonly number[] = SPANS): this {
    for (const span of spans) {
      const at = bucketStart(span, r.at);
      if (span !== HOUR) {
        if (this.now !== null && at + span > this.now) continue;
        this.longSpans = true;
      }
      const ck = `${span}|${at}|${r.gridId}|${r.kind}|${r.cx}|${r.cy}`;
      const c = this.cells.get(ck);
      if (c) c[6] += sign * r.n;
      else this.cells.set(ck, [span, at, r.gridId, r.kind, r.cx, r.cy, sign * r.n]);
      const gk = `${span}|${at}|${r.gridId}`;
      const g = this.grids.get(gk);
      if (g) g[3] += sign * r.n;
      else this.grids.set(gk, [span, at, r.gridId, sign * r.n]);
    }
    return this;
  }

  addEvent(e: CountedEvent, sign = 1): this {
    return this.addEvents([e], sign);
  }

  /**
   * Counts events grouped by hour and cell first: a gateway's batch holds a
   * hundred events from a handful of devices, so each span's keys are made
   * once per group instead of once per event (it was a tenth of ingest's CPU).
   */
  addEvents(events: readonly CountedEvent[], sign = 1): this {
    const groups = new Map<string, RollupInput>();
    for (const e of events) {
      const at = bucketStart(HOUR, e.receivedAt);
      const cx = cellOf(e.location.lng);
      const cy = cellOf(e.location.lat);
      const k = `${at}|${e.location.gridId}|${e.kind}|${cx}|${cy}`;
      const g = groups.get(k);
      if (g) g.n++;
      else groups.set(k, { at, gridId: e.location.gridId, kind: e.kind, cx, cy, n: 1 });
    }
    for (const g of groups.values()) this.add(g, sign);
    return this;
  }

  get empty(): boolean {
    return this.grids.size === 0;
  }
}

/**
 * Adds a delta to the roll-ups inside the caller's transaction. Keys go in
 * sorted order, so two PostgreSQL nodes upserting overlapping keys lock them
 * in the same order and never deadlock. Rows a negative delta (retention)
 * brings to zero are deleted: the roll-ups hold exactly the stored events.
 * Buckets that had already ended at the delta's `now` get a new generation
 * (generations.ts), so no hub node keeps a stale fold of them; `now` is null
 * only for the backfill of migration 016, before there are generations (or
 * folds). A delta to longer spans holds the sealer's lock shared (seals.ts).
 */
export async function applyRollups(t: SqlExec, delta: RollupDelta): Promise<void> {
  if (delta.empty) return;
  const now = delta.now;
  if (delta.longSpans) await t.lock(SEAL_LOCK, 'shared');
  const byKey = <V>(m: Map<string, V>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  await upsert(t, 'rollup_cells', '(span_ms, bucket_at, grid_id, kind, cx, cy, n)', 7, byKey(delta.cells));
  await upsert(t, 'rollup_grids', '(span_ms, bucket_at, grid_id, n)', 4, byKey(delta.grids));
  const shrunk = [...delta.grids.values()].filter((g) => g[3] < 0);
  const buckets = new Map<number, Set<number>>();
  for (const [span, at] of shrunk) (buckets.get(span) ?? buckets.set(span, new Set()).get(span)!).add(at);
  for (const [span, ats] of buckets)
    for (const table of ['rollup_cells', 'rollup_grids'])
      await t.run(
        `DELETE FROM ${table} WHERE span_ms = ? AND bucket_at IN (${[...ats].map(() => '?').join(', ')}) AND n <= 0`,
        [span, ...ats],
      );
  if (now !== null)
    await markChanged(
      t,
      [...delta.grids.values()].map(([span, at]) => [span, at] as const),
      now,
    );
}

async function upsert(t: SqlExec, table: string, cols: string, width: number, rows: SqlValue[][]): Promise<void> {
  const key = cols.replace(', n)', ')');
  const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await t.run(
      `INSERT INTO ${table} ${cols} VALUES ${chunk.map(() => tuple).join(', ')}
       ON CONFLICT ${key} DO UPDATE SET n = ${table}.n + excluded.n`,
      chunk.flat(),
    );
  }
}

/**
 * The ingest hook: counts events just inserted (never duplicates, which the
 * primary key refused before this is called) in the same transaction.
 */
export async function recordRollups(t: SqlExec, events: readonly LinliEvent[]): Promise<void> {
  if (!events.length) return;
  await applyRollups(t, new RollupDelta().addEvents(events));
}

/**
 * PostgreSQL retention dropped whole days of events [from, to): their day, quarter and hour roll-ups go with them,
 * and the weeks they belong to lose their counts (a week row outlives its first days).
 */
export async function forgetRollups(t: SqlExec, from: number, to: number): Promise<void> {
  const days = await t.all<{ bucket_at: number; grid_id: string; kind: string; cx: number; cy: number; n: number }>(
    'SELECT bucket_at, grid_id, kind, cx, cy, n FROM rollup_cells WHERE span_ms = ? AND bucket_at >= ? AND bucket_at < ?',
    [DAY, from, to],
  );
  const weeks = new RollupDelta();
  for (const d of days) {
    const cell = { at: Number(d.bucket_at), gridId: d.grid_id, kind: d.kind, cx: Number(d.cx), cy: Number(d.cy) };
    weeks.add({ ...cell, n: Number(d.n) }, -1, [WEEK]);
  }
  await applyRollups(t, weeks);
  // Whole days go below, around applyRollups: every fold is stale.
  await raiseEpoch(t);
  for (const table of ['rollup_cells', 'rollup_grids'])
    await t.run(`DELETE FROM ${table} WHERE span_ms IN (?, ?, ?) AND bucket_at >= ? AND bucket_at < ?`, [
      HOUR,
      QUARTER,
      DAY,
      from,
      to,
    ]);
}
