-- The hub → gateway command queue (src/commands). Times are milliseconds since epoch.
CREATE TABLE commands (
  id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  result TEXT,
  error TEXT,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX commands_pending ON commands (gateway_id, state);
CREATE INDEX commands_expiry ON commands (state, expires_at);
