-- Gateways, their events and hub settings.
CREATE TABLE gateways (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  last_seq BIGINT NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  lost_telemetry BIGINT NOT NULL DEFAULT 0,
  status TEXT,
  status_at BIGINT,
  clock_skew_ms BIGINT,
  area_code TEXT
);

-- Events are partitioned by day of received_at (the device's time, carried
-- unchanged by every resend, so a duplicate always lands in the same
-- partition and the primary key catches it). Retention drops whole days
-- (partitions.ts). Times outside the prepared days (a gateway clock far off)
-- land in the default partition, pruned row by row by stored_at.
CREATE TABLE events (
  gateway_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  device_id TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  stored_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  lng DOUBLE PRECISION,
  lat DOUBLE PRECISION,
  PRIMARY KEY (gateway_id, seq, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;
-- A gateway's event by sequence (pictures, commands) without knowing its day.
CREATE INDEX events_by_gateway_seq ON events (gateway_id, seq);
CREATE INDEX events_by_stored ON events (stored_at);
-- The cockpit: newest in an area (grid code prefix), heatmap windows.
CREATE INDEX events_by_grid_time_pos ON events (grid_id text_pattern_ops, received_at, lng, lat);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
