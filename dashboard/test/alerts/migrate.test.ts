import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { openSqlDb } from '../../src/store/open-store.js';
import { describeEachDialect } from '../support/dialects.js';
import { CITY, secondConnection, smoke } from './fixtures.js';

describeEachDialect('alert migration (006-alerts)', (ctx) => {
  it('creates the alert tables; what one connection writes, another (a restarted hub) reads', async () => {
    const [a] = await new AlertService(ctx.db).ingest([smoke()]);
    const other = secondConnection(ctx.db);
    try {
      expect(await new AlertService(other).get(a!.id, CITY)).toEqual(a);
      for (const table of ['alert_alerts', 'alert_events', 'alert_history', 'alert_windows', 'commands'])
        expect(await other.get(`SELECT count(*) AS n FROM ${table}`)).toBeDefined();
      const versions = await other.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => v.version)).toEqual(expect.arrayContaining([6, 7]));
    } finally {
      await other.close();
    }
  });
});

describe('alert migration of a v0.2 SQLite file', () => {
  it('keeps the alerts that v0.2 made on start (alert_meta schema 1) and adds nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-alerts-v02-'));
    const raw = new Database(join(dir, 'hub.sqlite'));
    // The tables exactly as v0.2's migrateAlerts (and command store) made them, with one alert in them.
    raw.exec(`
      CREATE TABLE alert_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO alert_meta VALUES ('schema_version', '1');
      CREATE TABLE alert_alerts (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        level INTEGER NOT NULL,
        version INTEGER NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        gateway_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        grid_id TEXT NOT NULL,
        lng REAL NOT NULL,
        lat REAL NOT NULL,
        count INTEGER NOT NULL,
        first_event_id TEXT NOT NULL,
        first_event_at INTEGER NOT NULL,
        last_event_at INTEGER NOT NULL,
        raised_at INTEGER NOT NULL,
        state_since INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        due_at INTEGER,
        assignee_type TEXT,
        assignee_id TEXT,
        resolution TEXT,
        cleared_at INTEGER,
        window_id TEXT
         );
         CREATE INDEX alert_alerts_source ON alert_alerts (gateway_id, device_id, kind, state);
         CREATE INDEX alert_alerts_due ON alert_alerts (due_at);
         CREATE INDEX alert_alerts_grid ON alert_alerts (grid_id, raised_at);
         CREATE INDEX alert_alerts_raised ON alert_alerts (raised_at);
         CREATE TABLE alert_events (
        event_id TEXT NOT NULL,
        alert_id TEXT NOT NULL,
        role TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (event_id, alert_id)
         );
         CREATE INDEX alert_events_alert ON alert_events (alert_id);
         CREATE TABLE alert_history (
        alert_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        level INTEGER NOT NULL,
        note TEXT,
        PRIMARY KEY (alert_id, seq)
         );
         CREATE TABLE alert_windows (
        id TEXT PRIMARY KEY,
        area_prefix TEXT NOT NULL,
        device_id TEXT,
        kind TEXT,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
         );
         CREATE INDEX alert_windows_time ON alert_windows (ends_at, starts_at);
      CREATE TABLE commands (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
        state TEXT NOT NULL, result TEXT, error TEXT, expires_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX commands_pending ON commands (gateway_id, state);
      INSERT INTO alert_alerts VALUES ('01KAAAAAAAAAAAAAAAAAAAAAAA', 'dispatched', 1, 4, 'smoke.alarm', 'critical', 'gw-a',
        'smoke-01', '341302001001001', 116.8, 33.95, 2, 'e1', 5, 6, 7, 8, 9, NULL, 'team', 'grid-1', NULL, NULL, NULL);
      INSERT INTO alert_history VALUES ('01KAAAAAAAAAAAAAAAAAAAAAAA', 1, 7, 'system', 'raise', NULL, 'raised', 0, NULL);`);
    raw.close();
    const db1 = await openSqlDb({ dataDir: dir });
    const [a] = await new AlertService(db1).ingest([smoke()]);
    await db1.close();
    const db2 = await openSqlDb({ dataDir: dir });
    try {
      const svc = new AlertService(db2);
      expect(await svc.get(a!.id, CITY)).toEqual(a);
      expect(await svc.get('01KAAAAAAAAAAAAAAAAAAAAAAA', CITY)).toMatchObject({
        state: 'dispatched',
        level: 1,
        version: 4,
        count: 2,
        assignee: { type: 'team', id: 'grid-1' },
      });
      expect(await svc.history('01KAAAAAAAAAAAAAAAAAAAAAAA', CITY)).toHaveLength(1);
      expect(await svc.list(CITY)).toHaveLength(2);
      expect(await db2.get("SELECT value FROM alert_meta WHERE key = 'schema_version'")).toEqual({ value: '1' });
    } finally {
      await db2.close();
    }
  });
});
