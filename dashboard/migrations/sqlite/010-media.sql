-- Event pictures (already masked by the gateway), one per event, in the hub
-- database so every hub node serves every picture. v0.2 kept them in a
-- separate media.sqlite, which is no longer read.
CREATE TABLE IF NOT EXISTS event_media (
  event_id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  stored_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_media_by_time ON event_media (stored_at);
