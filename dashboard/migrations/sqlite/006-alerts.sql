-- The alert lifecycle (src/alerts): alerts, the events linked to them, their
-- history and maintenance windows. v0.2 files made these tables on start
-- (alert_meta recorded it), hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS alert_alerts (
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
CREATE INDEX IF NOT EXISTS alert_alerts_source ON alert_alerts (gateway_id, device_id, kind, state);
CREATE INDEX IF NOT EXISTS alert_alerts_due ON alert_alerts (due_at);
CREATE INDEX IF NOT EXISTS alert_alerts_grid ON alert_alerts (grid_id, raised_at);
CREATE INDEX IF NOT EXISTS alert_alerts_raised ON alert_alerts (raised_at);
CREATE TABLE IF NOT EXISTS alert_events (
  event_id TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  role TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (event_id, alert_id)
);
CREATE INDEX IF NOT EXISTS alert_events_alert ON alert_events (alert_id);
CREATE TABLE IF NOT EXISTS alert_history (
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
CREATE TABLE IF NOT EXISTS alert_windows (
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
CREATE INDEX IF NOT EXISTS alert_windows_time ON alert_windows (ends_at, starts_at);
