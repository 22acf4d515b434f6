import { InternalError } from '@linli/contract';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../../file-modes.js';
import { GroupCommit } from './group-commit.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type { SqlDb, SqlExec, SqlValue } from './sql-db.js';

const STATEMENT_CACHE = 500;

/**
 * SqlDb over better-sqlite3 (synchronous, in-process): one connection, WAL,
 * synchronous=FULL because the hub's acknowledgement lets a gateway delete its
 * copy. Statements run at once; transactions are committed in groups
 * (group-commit.ts: many gateways' batches share one fsync), and statements
 * outside a transaction wait while a group is open, so nothing interleaves into it.
 */
export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  /** For the CLI's one-off reads and the legacy upgrade of v0.2 files; services use the async methods. */
  readonly raw: Database.Database;
  readonly describe: string;
  private readonly cache = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') {
      // Password and session hashes live here: the folder 0700, the file (hence its WAL and SHM) 0600.
      ensurePrivateDir(dirname(file));
      ensurePrivateFile(file);
    }
    this.raw = new Database(file);
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = FULL');
    // The CLI (gateway add, user add) writes while the hub runs: wait for the lock rather than fail.
    this.raw.pragma('busy_timeout = 5000');
    this.describe = `sqlite:${file}`;
    this.group = new GroupCommit(this.raw, this.now);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (s) {
      // Refresh its place: the cache drops the least recently used statement.
      this.cache.delete(sql);
      this.cache.set(sql, s);
      return s;
    }
    s = this.raw.prepare(sql);
    this.cache.set(sql, s);
    if (this.cache.size > STATEMENT_CACHE) this.cache.delete(this.cache.keys().next().value!);
    return s;
  }

  private readonly now: SqlExec = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: this.stmt(sql).run(...params).changes }),
    lock: async () => {
      if (!this.raw.inTransaction) throw new InternalError('lock() outside a transaction');
    },
    exec: async (script: string) => void this.raw.exec(script),
  };

  /** The one writer: every transaction goes through it. */
  private readonly group: GroupCommit;

  /** Groups committed and transactions in them (tests read them). */
  get groupStats(): Readonly<GroupCommit['stats']> {
    return this.group.stats;
  }

  /** Waits while a group's transaction is open (its functions may be awaiting between statements). */
  private async outside<T>(op: () => Promise<T>): Promise<T> {
    for (let open = this.group.busy; open; open = this.group.busy) await open;
    return op();
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.outside(() => this.now.all<T>(sql, params));
  }
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.outside(() => this.now.get<T>(sql, params));
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.outside(() => this.now.run(sql, params));
  }
  lock(): Promise<void> {
    return Promise.reject(new InternalError('lock() outside a transaction'));
  }

  /** Runs `fn` in a transaction of its own within the next group commit; resolves once that group is durable. */
  tx<T>(fn: (t: SqlExec) => Promise<T>): Promise<T> {
    return this.group.tx(fn);
  }

  async exec(script: string): Promise<void> {
    await this.outside(async () => void this.raw.exec(script));
  }

  private checkpointer: WalCheckpointer | null = null;

  /** Checkpoints the WAL from a thread of its own (wal-checkpointer.ts) until close(): for the hub, which ingests. */
  checkpointInBackground(onError?: (message: string) => void): void {
    this.checkpointer ??= new WalCheckpointer(this.raw, onError);
    this.checkpointer.start();
  }

  async close(): Promise<void> {
    for (let open = this.group.busy; open; open = this.group.busy) await open;
    // The thread's connection first: the last one to close checkpoints the WAL away.
    await this.checkpointer?.stop();
    if (this.raw.open) this.raw.close();
  }
}

/**
 * The better-sqlite3 handle under a SqlDb, for services not yet ported to the
 * async port; they run on SQLite only, and a PostgreSQL hub refuses to start with them.
 */
export function rawSqlite(db: SqlDb): Database.Database {
  if (db instanceof SqliteDb) return db.raw;
  throw new InternalError(`${db.describe}: this service still needs SQLite`);
}
