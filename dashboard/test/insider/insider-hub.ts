import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { startTestHub } from '../../../test/helpers/hub-fixture.js';
import { DIALECTS, TEST_PG_URL } from '../support/dialects.js';
import type { Dialect } from '../../src/store/sql/sql-db.js';

export type TestHub = Awaited<ReturnType<typeof startTestHub>>;
export type HubOpts = Parameters<typeof startTestHub>[0];

/** A PostgreSQL schema of the test's own, for a hub on `dialect` (null on SQLite). */
export function databaseFor(dialect: Dialect): { url: string; schema: string } | undefined {
  return dialect === 'postgres' ? { url: TEST_PG_URL, schema: `t_${randomBytes(6).toString('hex')}` } : undefined;
}

/** Drops a test's PostgreSQL schema once its hub has stopped. */
export async function dropSchema(db: { url: string; schema: string } | undefined): Promise<void> {
  if (!db) return;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`);
  } finally {
    await c.end();
  }
}

/**
 * One real hub (HTTP and Socket.IO on loopback) per dialect, shared by the
 * tests of the block: on SQLite in a temp folder, on PostgreSQL in a schema of
 * its own, dropped afterwards.
 */
export function describeHubOnEachDialect(
  name: string,
  body: (ctx: { h: TestHub; dialect: Dialect }) => void,
  opts: HubOpts = {},
): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      const ctx = { dialect } as { h: TestHub; dialect: Dialect };
      const database = databaseFor(dialect);
      beforeAll(async () => {
        ctx.h = await startTestHub({ ...opts, ...(database ? { database } : {}) });
      }, 60_000);
      afterAll(async () => {
        await ctx.h?.stop();
        await dropSchema(database);
      }, 60_000);
      body(ctx);
    });
  }
}
