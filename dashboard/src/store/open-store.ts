import { join } from 'node:path';
import { PgDb } from './sql/pg-db.js';
import { SqliteDb } from './sql/sqlite-db.js';
import { upgradeLegacySqlite } from './sql/legacy-sqlite.js';
import { migrate } from './sql/migrate.js';
import { ROLLUP_MIGRATION, backfillRollups, type RollupProgress } from './rollups/backfill.js';
import { SEAL_MIGRATION, startSeals } from './rollups/seals.js';
import { ensureEventPartitions } from './sql/partitions.js';
import type { SqlDb } from './sql/sql-db.js';
import { SqlHubStore } from './sql-hub-store.js';

export interface OpenStoreOptions {
  /** postgres://… for PostgreSQL (several hub nodes); absent: SQLite in `dataDir`/hub.sqlite. */
  database?: string;
  /** The SQLite file's folder (and the hub's key files) when `database` is absent. */
  dataDir?: string;
  /** A PostgreSQL schema (tests use one each). */
  schema?: string;
  onMigration?: (m: { version: number; name: string }) => void;
  /** Progress of the roll-up backfill (migration 016 on a database that already holds events). */
  onBackfill?: RollupProgress;
  onError?: (err: Error) => void;
}

/** Opens the hub's database, migrates it to this version's schema and prepares event partitions (PostgreSQL). */
export async function openSqlDb(opts: OpenStoreOptions): Promise<SqlDb> {
  let db: SqlDb;
  if (opts.database) {
    if (!/^postgres(ql)?:\/\//.test(opts.database))
      throw new Error(
        `--database must be a postgres:// URL (got ${opts.database.split(':')[0]}:…); leave it out for SQLite`,
      );
    db = new PgDb({
      url: opts.database,
      ...(opts.schema ? { schema: opts.schema } : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  } else {
    if (!opts.dataDir) throw new Error('a data folder (--data) is needed for the SQLite store');
    const sqlite = new SqliteDb(join(opts.dataDir, 'hub.sqlite'));
    upgradeLegacySqlite(sqlite);
    db = sqlite;
  }
  try {
    await migrate(db, opts.onMigration, undefined, {
      [ROLLUP_MIGRATION]: async (t) => void (await backfillRollups(t, opts.onBackfill)),
      [SEAL_MIGRATION]: (t) => startSeals(t, Date.now()),
    });
    await ensureEventPartitions(db, Date.now());
  } catch (err) {
    await db.close().catch(() => {});
    throw new Error(`${db.describe}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return db;
}

export async function openHubStore(opts: OpenStoreOptions): Promise<SqlHubStore> {
  return new SqlHubStore(await openSqlDb(opts));
}
