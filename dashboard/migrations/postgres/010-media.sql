-- Event pictures (already masked by the gateway), one per event, in the hub
-- database so every hub node serves every picture.
CREATE TABLE event_media (
  event_id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  taken_at BIGINT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  stored_at BIGINT NOT NULL
);
CREATE INDEX event_media_by_time ON event_media (stored_at);
