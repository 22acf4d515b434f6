// Slow tier (npm test only, not npm run test:fast): needs PostgreSQL (the SQL port on both engines by name). See CONTRIBUTING.md, "Test tiers".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqlDb } from '../../src/store/open-store.js';
import { migrate } from '../../src/store/sql/migrate.js';
import { dayStart, dropOldEventPartitions, ensureEventPartitions } from '../../src/store/sql/partitions.js';
import { toPgPlaceholders } from '../../src/store/sql/placeholders.js';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { freshDb } from '../support/dialects.js';

const DAY = 86_400_000;

describe('SQL port', () => {
  it('turns ? into $n, leaving quoted text and comments alone', () => {
    expect(toPgPlaceholders("SELECT '?', \"a?\", x FROM t -- ?\nWHERE a = ? AND b = 'it''s?' AND c = ?")).toBe(
      "SELECT '?', \"a?\", x FROM t -- ?\nWHERE a = $1 AND b = 'it''s?' AND c = $2",
    );
    expect(() => toPgPlaceholders("SELECT 'open")).toThrow(/unterminated/);
  });

  it('migrates once, records each version, and refuses a database newer than the code', async () => {
    const { db, dispose } = await freshDb('sqlite');
    try {
      expect(await migrate(db)).toBe(0); // freshDb already migrated it
      const versions = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.length).toBeGreaterThanOrEqual(3);
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)', ['from-the-future']);
      await expect(migrate(db)).rejects.toThrow(/schema version 999, newer than this hub/);
    } finally {
      await dispose();
    }
  });

  it('lets two PostgreSQL nodes migrate one database at the same moment', async () => {
    const { TEST_PG_URL } = await import('../support/dialects.js');
    const schema = `t_race_${Date.now().toString(36)}`;
    const [a, b] = await Promise.all([
      openSqlDb({ database: TEST_PG_URL, schema }),
      openSqlDb({ database: TEST_PG_URL, schema }),
    ]);
    try {
      const rows = await a.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
    } finally {
      await a.exec(`DROP SCHEMA ${schema} CASCADE`);
      await a.close();
      await b.close();
    }
  });

  it('upgrades a v0.2 SQLite file (no positions, no versions) and keeps its events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-legacy-'));
    const raw = new Database(join(dir, 'hub.sqlite'));
    raw.exec(`
      CREATE TABLE gateways (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, lost_telemetry INTEGER NOT NULL DEFAULT 0,
        status TEXT, status_at INTEGER, clock_skew_ms INTEGER);
      CREATE TABLE events (gateway_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
        severity TEXT NOT NULL, device_id TEXT NOT NULL, grid_id TEXT NOT NULL, received_at INTEGER NOT NULL,
        stored_at INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (gateway_id, seq)) WITHOUT ROWID;
      CREATE INDEX events_by_grid_time ON events (grid_id, received_at);
      INSERT INTO gateways (id, token_hash, last_seq, created_at) VALUES ('gw-a', 'h', 1, 0);
      INSERT INTO events VALUES ('gw-a', 1, 'e1', 'meter.reading', 'info', 'm', '341302001001001', 5, 5,
        '{"location":{"lng":117,"lat":33.6}}');`);
    raw.close();
    const db = await openSqlDb({ dataDir: dir });
    try {
      expect(await db.all('SELECT lng, lat FROM events')).toEqual([{ lng: 117, lat: 33.6 }]);
      expect(await new SqlHubStore(db).gateway('gw-a')).toMatchObject({ lastSeq: 1, areaCode: null });
      const plan = await db.all<{ detail: string }>(
        "EXPLAIN QUERY PLAN SELECT round(lng, 3), count(*) FROM events WHERE grid_id >= '3413' AND grid_id < '3414' AND received_at >= 0 GROUP BY 1",
      );
      expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX events_by_grid_time_pos');
    } finally {
      await db.close();
    }
  });

  it('queues a caller behind an open SQLite transaction instead of slipping into it', async () => {
    const db = new SqliteDb(join(mkdtempSync(join(tmpdir(), 'linli-sq-')), 'x.sqlite'));
    await db.exec('CREATE TABLE t (v INTEGER)');
    let outsideDone = false;
    const inTx = db
      .tx(async (t) => {
        await t.run('INSERT INTO t VALUES (1)');
        await new Promise((r) => setTimeout(r, 50));
        expect(outsideDone).toBe(false);
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    const outside = db.run('INSERT INTO t VALUES (2)').then(() => (outsideDone = true));
    expect(await inTx).toBe('rolled back');
    await outside;
    expect(await db.all('SELECT v FROM t')).toEqual([{ v: 2 }]);
    await db.close();
  });
});

describe('PostgreSQL event partitions', () => {
  it('keeps each day in its own partition, moves strays in when their day arrives, and drops whole old days', async () => {
    const { db, dispose } = await freshDb('postgres');
    try {
      const s = new SqlHubStore(db);
      await s.upsertGateway('gw-a', 'h', '341302001001');
      const now = Date.now();
      const ev = (seq: number, at: number): LinliEvent => ({
        v: 1 as const,
        id: `01JB${String(seq).padStart(22, '0')}`,
        gatewayId: 'gw-a',
        seq,
        deviceTime: at,
        receivedAt: at,
        deviceId: 'm',
        kind: 'meter.reading',
        severity: 'info',
        location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
        payload: { medium: 'water', values: { flow: seq }, units: { flow: 'm3' } },
      });
      // Today, and 20 days ago (older than the prepared week: it waits in the default partition).
      await s.ingest('gw-a', [ev(1, now - 20 * DAY), ev(2, now - 20 * DAY + 1000), ev(3, now)]);
      const where = async () =>
        (
          await db.all<{ p: string; seq: number }>('SELECT tableoid::regclass::text AS p, seq FROM events ORDER BY seq')
        ).map((r) => `${r.seq}@${r.p}`);
      const today = new Date(dayStart(now) + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
      expect(await where()).toEqual(['1@events_default', '2@events_default', `3@events_p${today}`]);
      // Prepare partitions back to 25 days: the strays move into theirs in the same transaction.
      await ensureEventPartitions(db, now, 25);
      const moved = await where();
      expect(moved[0]).toMatch(/^1@events_p\d{8}$/);
      expect(moved[0]!.split('@')[1]).toBe(moved[1]!.split('@')[1]);
      // Retention at 10 days drops that whole day (two rows) without touching today.
      expect(await dropOldEventPartitions(db, now - 10 * DAY)).toBe(2);
      expect(await where()).toEqual([`3@events_p${today}`]);
      // A resend of a dropped event is still a duplicate: the watermark stays.
      expect(await s.ingest('gw-a', [ev(1, now - 20 * DAY)])).toMatchObject({ ackSeq: 3, duplicates: 1 });
    } finally {
      await dispose();
    }
  });
});
