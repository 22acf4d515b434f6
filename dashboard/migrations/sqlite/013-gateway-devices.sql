-- The devices each gateway declared (id, type, grid), and what the hub refused
-- of its events for authority (grid outside its area, undeclared device).
-- A removed device is kept as retired: it still owns the gateway's events up
-- to retired_after_seq, so a backlog buffered before the change drains.
CREATE TABLE gateway_devices (
  gateway_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  type TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  declared_at INTEGER NOT NULL,
  retired_at INTEGER,
  retired_after_seq INTEGER,
  PRIMARY KEY (gateway_id, device_id)
) WITHOUT ROWID;
ALTER TABLE gateways ADD COLUMN devices_declared_at INTEGER;
ALTER TABLE gateways ADD COLUMN rejected_events INTEGER NOT NULL DEFAULT 0;
