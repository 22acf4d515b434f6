import type Database from 'better-sqlite3';
import type { SqlExec } from './sql-db.js';

interface Job {
  fn: (t: SqlExec) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (err: unknown) => void;
}

/** Transactions per commit at most: bounds how long one group holds the event loop. */
const MAX_GROUP = 256;

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
 */
export class GroupCommit {
  private queue: Job[] = [];
  private running: Promise<void> | null = null;
  /** Groups committed and transactions in them, for tests and the benchmark's log. */
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

  /** True while a group is open: other statements must wait for it (SqliteDb.outside). */
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
    try {
      this.sql.begin.run();
    } catch (err) {
      for (const j of jobs) j.reject(err);
      return;
    }
    try {
      for (const j of jobs) {
        this.sql.savepoint.run();
        try {
          outcomes.push({ ok: true, value: await j.fn(this.exec) });
          this.sql.release.run();
        } catch (err) {
          outcomes.push({ ok: false, err });
          // A statement error may already have ended the whole transaction (SQLITE_FULL, I/O): then the group fails.
          if (!this.raw.inTransaction) throw err;
          this.sql.undo.run();
          this.sql.release.run();
        }
      }
      this.sql.commit.run();
    } catch (err) {
      if (this.raw.inTransaction) this.sql.rollback.run();
      for (const j of jobs) j.reject(err);
      return;
    }
    this.stats.groups++;
    this.stats.transactions += jobs.length;
    this.stats.largest = Math.max(this.stats.largest, jobs.length);
    jobs.forEach((j, i) => {
      const o = outcomes[i]!;
      if (o.ok) j.resolve(o.value);
      else j.reject(o.err);
    });
  }
}
