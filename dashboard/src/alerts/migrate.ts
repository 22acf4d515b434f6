import type Database from 'better-sqlite3';

/**
 * The alert tables, in steps applied once each and recorded in `alert_meta`,
 * so the hub can call this on every start. Plain SQL types and no SQLite-only
 * constructs beyond AUTOINCREMENT, so the same steps translate to PostgreSQL.
 */
const STEPS: string[] = [
  `CREATE TABLE alert_alerts (
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
   CREATE INDEX alert_windows_time ON alert_windows (ends_at, starts_at);`,
];

/** Creates or upgrades the alert tables; safe to call on every start and from several processes. */
export function migrateAlerts(db: Database.Database): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS alert_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = db.prepare<[], { value: string }>("SELECT value FROM alert_meta WHERE key = 'schema_version'").get();
    const at = row ? Number(row.value) : 0;
    for (let v = at; v < STEPS.length; v++) db.exec(STEPS[v]!);
    db.prepare(
      "INSERT INTO alert_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(String(Math.max(at, STEPS.length)));
  }).immediate();
}
