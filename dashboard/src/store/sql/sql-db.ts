/**
 * The hub's storage port: a small SQL interface that SQLite (one node, the
 * default) and PostgreSQL (several nodes, a city) both implement. Services
 * write portable SQL against it; see docs/scale.md for the rules that keep a
 * statement portable (`?` placeholders, snake_case aliases, no JSON or date
 * functions, integers for booleans and millisecond times).
 */
export type SqlValue = string | number | bigint | null | Buffer;
export type Dialect = 'sqlite' | 'postgres';

export interface SqlExec {
  readonly dialect: Dialect;
  /** All rows. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without rows; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Serialises writers of one logical thing (a gateway's watermark, the audit
   * chain's head) until the transaction ends: pg_advisory_xact_lock on
   * PostgreSQL; a no-op on SQLite, whose write transactions are already exclusive.
   * `shared`: holders exclude only exclusive holders (pg_advisory_xact_lock_shared).
   * Outside a transaction it is an error.
   */
  lock(key: string, mode?: 'exclusive' | 'shared'): Promise<void>;
  /** Runs a script of several statements (migrations); no parameters. */
  exec(script: string): Promise<void>;
}

export interface SqlDb extends SqlExec {
  /**
   * Runs `fn` in one write transaction and commits, or rolls back if it throws.
   * On PostgreSQL a serialization failure or deadlock is retried (up to 3 times),
   * so `fn` must not have effects outside the database.
   */
  tx<T>(fn: (t: SqlExec) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** A short description for logs (never a password). */
  readonly describe: string;
}

/** Thrown for storage faults a caller should report rather than retry blindly. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
