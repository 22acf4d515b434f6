import { InternalError } from '@linli/contract';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { toPgPlaceholders } from './placeholders.js';
import type { SqlDb, SqlExec, SqlValue } from './sql-db.js';

/**
 * bigint (int8) and numeric come back as numbers: the hub stores millisecond
 * times, sequences and counts, all far below 2^53. Set per pool, not globally.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Retryable: serialization failure, deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
const TX_ATTEMPTS = 3;
/** Statements with few parameters are prepared once per connection (named); batch inserts vary in shape and are not. */
const PREPARE_MAX_PARAMS = 32;

export interface PgDbOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** A schema to use (created if missing), e.g. one per test run; default the connection's search_path. */
  schema?: string;
  /** Connections in the pool (default 10). */
  max?: number;
  onError?: (err: Error) => void;
}

/** SqlDb over node-postgres: a pool; `?` placeholders become `$n`. */
export class PgDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly describe: string;
  private ready: Promise<void> | null = null;

  constructor(private readonly opts: PgDbOptions) {
    if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`bad schema name ${opts.schema}`);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.max ?? 10,
      types,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its server must not crash the hub; the next query reconnects.
    this.pool.on('error', (err) => opts.onError?.(err));
    const u = new URL(opts.url);
    this.describe = `postgres://${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}${opts.schema ? `#${opts.schema}` : ''}`;
  }

  /** Creates the schema on first use. */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      if (!this.opts.schema) return;
      const c = new pg.Client({ connectionString: this.opts.url });
      await c.connect();
      try {
        // Two nodes starting at once would race on the catalogue; one at a time.
        await c.query('BEGIN');
        await c.query("SELECT pg_advisory_xact_lock(hashtextextended('linli:schema', 0))");
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.opts.schema}`);
        await c.query('COMMIT');
      } finally {
        await c.end();
      }
    })();
    return this.ready;
  }

  private exec_(client: pg.Pool | pg.PoolClient, inTx: boolean): SqlExec {
    const q = async <T>(sql: string, params: readonly SqlValue[] = []) => {
      const text = toPgPlaceholders(sql);
      const values = params as unknown[];
      const r =
        params.length <= PREPARE_MAX_PARAMS
          ? await client.query({ name: statementName(text), text, values })
          : await client.query(text, values);
      return r as unknown as pg.QueryResult & { rows: T[] };
    };
    return {
      dialect: 'postgres',
      all: async <T>(sql: string, params?: readonly SqlValue[]) => (await q<T>(sql, params)).rows,
      get: async <T>(sql: string, params?: readonly SqlValue[]) => (await q<T>(sql, params)).rows[0],
      run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await q(sql, params)).rowCount ?? 0 }),
      lock: async (key: string, mode: 'exclusive' | 'shared' = 'exclusive') => {
        if (!inTx) throw new InternalError('lock() outside a transaction');
        const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
        await q(`SELECT ${fn}(hashtextextended(?, 0))`, [key]);
      },
      exec: async (script: string) => void (await client.query(script)),
    };
  }

  async all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    await this.init();
    return this.exec_(this.pool, false).all<T>(sql, params);
  }
  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    await this.init();
    return this.exec_(this.pool, false).get<T>(sql, params);
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    await this.init();
    return this.exec_(this.pool, false).run(sql, params);
  }
  lock(): Promise<void> {
    return Promise.reject(new InternalError('lock() outside a transaction'));
  }

  async tx<T>(fn: (t: SqlExec) => Promise<T>): Promise<T> {
    await this.init();
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(this.exec_(client, true));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        // A failed ROLLBACK means the connection is gone, which ends the transaction too; the error below is the one that matters.
        await client.query('ROLLBACK').catch(() => {});
        const code = (err as { code?: string }).code;
        if (attempt < TX_ATTEMPTS && code && RETRY_CODES.has(code)) continue;
        throw err;
      } finally {
        client.release();
      }
    }
  }

  async exec(script: string): Promise<void> {
    await this.init();
    await this.pool.query(script);
  }

  /** Runs `fn` with one dedicated connection (COPY, session advisory locks); released afterwards. */
  async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.init();
    const c = await this.pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  }

  /** A connection of its own, outside the pool (a session advisory lock lives as long as it does). */
  dedicatedClient(): pg.Client {
    return new pg.Client({
      connectionString: this.opts.url,
      types,
      ...(this.opts.schema ? { options: `-c search_path=${this.opts.schema}` } : {}),
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function statementName(text: string): string {
  return `l${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}
