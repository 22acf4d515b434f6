-- Gateways, their events and hub settings. IF NOT EXISTS: a v0.2 file (made
-- before versioned migrations) already has these tables; see legacy-sqlite.ts.
CREATE TABLE IF NOT EXISTS gateways (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  lost_telemetry INTEGER NOT NULL DEFAULT 0,
  status TEXT,
  status_at INTEGER,
  clock_skew_ms INTEGER,
  area_code TEXT
);
CREATE TABLE IF NOT EXISTS events (
  gateway_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  device_id TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  lng REAL,
  lat REAL,
  PRIMARY KEY (gateway_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_time ON events (stored_at);
-- Covering index for the cockpit's heatmap over a window (reads the index alone).
CREATE INDEX IF NOT EXISTS events_by_grid_time_pos ON events (grid_id, received_at, lng, lat);
DROP INDEX IF EXISTS events_by_grid_time;
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
