import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe } from 'vitest';
import { openSqlDb } from '../../src/store/open-store.js';
import type { Dialect, SqlDb } from '../../src/store/sql/sql-db.js';

/**
 * The PostgreSQL the conformance suites run against: the machine's service
 * (CI starts it; see .ci/run). Unreachable means the suite fails, loudly.
 */
export const TEST_PG_URL = process.env.LINLI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** `npm run test:fast` runs with no services: the SQLite half of every dual-engine suite only. */
export const FAST_TIER = process.env.LINLI_TEST_TIER === 'fast';
export const DIALECTS: Dialect[] = FAST_TIER ? ['sqlite'] : ['sqlite', 'postgres'];

/** A fresh, migrated database of the dialect: a new SQLite file, or a new PostgreSQL schema dropped afterwards. */
export async function freshDb(dialect: Dialect): Promise<{ db: SqlDb; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = await openSqlDb({ dataDir: mkdtempSync(join(tmpdir(), 'linli-sql-')) });
    return { db, dispose: () => db.close() };
  }
  if (FAST_TIER)
    throw new Error(
      'this test needs PostgreSQL, which the fast tier does not have: name its file *.slow.test.ts (CONTRIBUTING.md, "Test tiers")',
    );
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openSqlDb({ database: TEST_PG_URL, schema });
  return {
    db,
    dispose: async () => {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}

/**
 * One suite, run once per dialect: `ctx.db` is a fresh migrated database for
 * each test. Use it for everything that must behave the same on both engines.
 */
export function describeEachDialect(name: string, body: (ctx: { db: SqlDb; dialect: Dialect }) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      const ctx = { dialect } as { db: SqlDb; dialect: Dialect };
      let dispose: () => Promise<void> = async () => {};
      beforeEach(async () => {
        ({ db: ctx.db, dispose } = await freshDb(dialect));
      });
      afterEach(async () => {
        await dispose();
      });
      body(ctx);
    });
  }
}
