import type Database from 'better-sqlite3';
import type { SqlExec } from './sql-db.js';

interface Job {
  fn: (t: SqlExec) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

/** Transactions per commit at most: bounds how long one group holds the event loop. */
const MAX_GROUP = 256;

/** Thrown inside a group by lock() for a key an earlier transaction of the group holds: retried in the next group. */
class NextGroup extends Error {}

/**
 * Group commit for the hub's one SQLite connection (see docs/hub.md, "One
 * writer"). With synchronous=FULL every COMMIT is an fsync, and one fsync per
 * gateway batch was what bounded hub ingest: a hundred gateways' small batches
 * waited in line for a hundred fsyncs. Here every transaction asked for while
 * another group commits (or within the same event-loop turn) joins the next
 * group: one BEGIN IMMEDIATE, each transaction in its own SAVEPOINT (one that
 * throws is rolled back alone and its caller gets the error), one COMMIT, and
 * only then is any caller answered, so a gateway is never acknowledged before
 * its rows are durable. If the COMMIT itself fails, every caller of the group
 * gets the error and nothing of it is stored. Transactions run one after
 * another in the order they were asked for, each seeing the ones before it.
 *
 * One transaction per lock() key per group: a second transaction that locks
 * the same key (the same gateway's next batch) is rolled back to its savepoint
 * and runs first in the next group. A gateway keeps several batches in flight
 * so it reads and sends the next while the hub commits this one; grouping its
 * own batches would answer them all at once and stall that pipeline. So lock()
 * must come first in a transaction, before anything with effects outside the database.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private running: Promise<void> | null = null;
  /** Groups committed and transactions in them (tests read them). */
  readonly stats = { groups: 0, transactions: 0, largest: 0 };

  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'undo', Database.Statement>;

  constructor(
    private readonly raw: Database.Database,
    private readonly exec: SqlExec,
  ) {
    this.sql = {
      begin: raw.prepare('BEGIN IMMEDIATE'),
      commit: raw.prepare('COMMIT'),
      rollback: raw.prepare('ROLLBACK'),
      savepoint: raw.prepare('SAVEPOINT one_tx'),
      release: raw.prepare('RELEASE one_tx'),
      undo: raw.prepare('ROLLBACK TO one_tx'),
    };
  }

  /** Set while a group is queued or open: other statements wait for it (SqliteDb.outside). */
  get busy(): Promise<void> | null {
    return this.running;
  }

  tx<T>(fn: (t: SqlExec) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      // Wait one turn before the first group, so transactions asked for together share it.
      if (!this.running) this.running = new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commitGroup(this.queue.splice(0, MAX_GROUP));
    } finally {
      this.running = null;
    }
  }

  private async commitGroup(jobs: Job[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    /** Jobs settled by this group, in order (outcomes[i] is done[i]'s); `later` run first in the next group. */
    const done: Job[] = [];
    const later: Job[] = [];
    try {
      this.sql.begin.run();
    } catch (err) {
      for (const j of jobs) j.reject(err);
      return;
    }
    try {
      /** Which transaction of this group took each key (one may lock its own key again: two audit entries). */
      const held = new Map<string, Job>();
      let current: Job | null = null;
      const exec: SqlExec = {
        ...this.exec,
        lock: async (key: string, mode?: 'exclusive' | 'shared') => {
          // Transactions of a group run one after another: shared holders need not be kept apart.
          if (mode === 'shared') return;
          const owner = held.get(key);
          if (owner && owner !== current) throw new NextGroup(key);
          held.set(key, current!);
        },
      };
      for (const j of jobs) {
        current = j;
        this.sql.savepoint.run();
        try {
          const value = await j.fn(exec);
          this.sql.release.run();
          done.push(j);
          outcomes.push({ ok: true, value });
        } catch (err) {
          // A statement error may already have ended the whole transaction (SQLITE_FULL, I/O): then the group fails.
          if (!this.raw.inTransaction) throw err;
          this.sql.undo.run();
          this.sql.release.run();
          if (err instanceof NextGroup) later.push(j);
          else {
            done.push(j);
            outcomes.push({ ok: false, err });
          }
        }
      }
      this.sql.commit.run();
    } catch (err) {
      if (this.raw.inTransaction) this.sql.rollback.run();
      for (const j of jobs) j.reject(err);
      return;
    }
    this.queue.unshift(...later);
    this.stats.groups++;
    this.stats.transactions += done.length;
    this.stats.largest = Math.max(this.stats.largest, done.length);
    done.forEach((j, i) => {
      const o = outcomes[i]!;
      if (o.ok) j.resolve(o.value);
      else j.reject(o.err);
    });
  }
}
