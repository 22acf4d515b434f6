import type { SqlDb, SqlExec } from './sql-db.js';

/** Partition days follow China Standard Time (UTC+8, no daylight saving): a day's events end at local midnight. */
const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
const NAME = /^events_p(\d{8})$/;

export function dayStart(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

function partitionName(start: number): string {
  return `events_p${new Date(start + CST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function startOf(name: string): number | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const d = m[1]!;
  return Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T00:00:00+08:00`);
}

async function existing(db: SqlDb): Promise<Map<string, number>> {
  const rows = await db.all<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'events' AND p.relnamespace = current_schema()::regnamespace`,
  );
  const out = new Map<string, number>();
  for (const r of rows) {
    const s = startOf(r.name);
    if (s !== null) out.set(r.name, s);
  }
  return out;
}

/**
 * PostgreSQL: makes sure a partition exists for each day from `pastDays` ago to
 * `aheadDays` ahead. Events outside them (a replay older than that, a gateway
 * clock far off) wait in the default partition; when their day gets a
 * partition they move into it in the same transaction. Several nodes may call
 * this at once; they take turns on a lock.
 */
export async function ensureEventPartitions(db: SqlDb, now: number, pastDays = 7, aheadDays = 3): Promise<string[]> {
  if (db.dialect !== 'postgres') return [];
  const have = await existing(db);
  const made: string[] = [];
  for (let d = -pastDays; d <= aheadDays; d++) {
    const from = dayStart(now) + d * DAY_MS;
    const name = partitionName(from);
    if (have.has(name)) continue;
    const did = await db.tx(async (t) => {
      await t.lock('linli:partitions');
      if (await t.get('SELECT to_regclass(?) AS r', [name]).then((r) => r?.r)) return false;
      const to = from + DAY_MS;
      await t.exec(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS)`);
      await t.exec(
        `WITH moved AS (DELETE FROM events_default WHERE received_at >= ${from} AND received_at < ${to} RETURNING *)
         INSERT INTO ${name} SELECT * FROM moved`,
      );
      await t.exec(`ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM (${from}) TO (${to})`);
      return true;
    });
    if (did) made.push(name);
  }
  return made;
}

/**
 * PostgreSQL retention: drops each day partition that ends at or before
 * `olderThan` (no row-by-row delete, no bloat), and returns how many rows went.
 * The day that straddles the cut-off is kept whole until it is entirely older:
 * retention here is exact to the day.
 */
export async function dropOldEventPartitions(
  db: SqlDb,
  olderThan: number,
  /** Runs in the dropping transaction, for what is kept per day beside the events (the roll-ups). */
  onDrop: (t: SqlExec, from: number, to: number) => Promise<void> = async () => {},
): Promise<number> {
  if (db.dialect !== 'postgres') return 0;
  let rows = 0;
  for (const [name, start] of await existing(db)) {
    if (start + DAY_MS > olderThan) continue;
    rows += await db.tx(async (t) => {
      await t.lock('linli:partitions');
      if (!(await t.get('SELECT to_regclass(?) AS r', [name]).then((r) => r?.r))) return 0;
      const n = (await t.get<{ n: number }>(`SELECT count(*) AS n FROM ${name}`))?.n ?? 0;
      await t.exec(`ALTER TABLE events DETACH PARTITION ${name}; DROP TABLE ${name}`);
      await onDrop(t, start, start + DAY_MS);
      return n;
    });
  }
  return rows;
}
