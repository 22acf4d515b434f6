import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AlertService, migrateAlerts } from '../../src/alerts/index.js';
import { SqliteHubStore } from '../../src/store/sqlite-store.js';
import { CITY, smoke, tempDbFile } from './fixtures.js';

describe('migrateAlerts', () => {
  it('adds its tables beside the hub store, is idempotent and keeps data across restarts', () => {
    const file = tempDbFile();
    new SqliteHubStore(file).close(); // the hub's own tables come first, as in production
    const db1 = new Database(file);
    migrateAlerts(db1);
    migrateAlerts(db1);
    const [a] = new AlertService(db1).ingest([smoke()]);
    db1.close();

    const db2 = new Database(file);
    migrateAlerts(db2);
    expect(new AlertService(db2).get(a!.id, CITY)).toEqual(a);
    const tables = db2
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'alert_alerts',
        'alert_events',
        'alert_history',
        'alert_meta',
        'alert_windows',
        'events',
      ]),
    );
    expect(db2.prepare("SELECT value FROM alert_meta WHERE key = 'schema_version'").pluck().get()).toBe('1');
    db2.close();
  });
});
