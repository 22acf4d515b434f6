-- The hub → gateway command queue (src/commands). v0.2 files made this table
-- on start, hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS commands (
  id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  result TEXT,
  error TEXT,
  expires_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS commands_pending ON commands (gateway_id, state);
CREATE INDEX IF NOT EXISTS commands_expiry ON commands (state, expires_at);
