-- Field work (src/field, docs/field.md): phone actions applied exactly once
-- and in order per device, matters (an alert with kind field.matter), their
-- photos, patrol routes and check-in points, patrols, tracks, visits and the
-- last known position of a worker while a patrol or task is open.
CREATE TABLE field_devices (
  user_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_id)
);
CREATE TABLE field_actions (
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  applied_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (user_id, client_id)
);
CREATE TABLE field_matters (
  alert_id TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  reported_by TEXT NOT NULL,
  reported_at INTEGER NOT NULL
);
CREATE TABLE field_photos (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  taken_at INTEGER NOT NULL,
  stored_at INTEGER NOT NULL
);
CREATE INDEX field_photos_alert ON field_photos (alert_id);
CREATE INDEX field_photos_time ON field_photos (stored_at);
CREATE TABLE field_routes (
  id TEXT PRIMARY KEY,
  grid_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE INDEX field_routes_grid ON field_routes (grid_id);
CREATE TABLE field_points (
  id TEXT PRIMARY KEY,
  route_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  lng REAL NOT NULL,
  lat REAL NOT NULL
);
CREATE INDEX field_points_route ON field_points (route_id, seq);
CREATE TABLE field_patrols (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  route_id TEXT,
  grid_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX field_patrols_user ON field_patrols (user_id, ended_at);
CREATE INDEX field_patrols_grid ON field_patrols (grid_id, started_at);
CREATE TABLE field_checkins (
  patrol_id TEXT NOT NULL,
  point_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  lng REAL NOT NULL,
  lat REAL NOT NULL,
  distance_m REAL NOT NULL,
  PRIMARY KEY (patrol_id, point_id)
);
CREATE TABLE field_track (
  patrol_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  lng REAL NOT NULL,
  lat REAL NOT NULL,
  accuracy REAL,
  PRIMARY KEY (patrol_id, at)
);
CREATE INDEX field_track_time ON field_track (at);
CREATE TABLE field_visits (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  patrol_id TEXT,
  place_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  grid_id TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX field_visits_grid ON field_visits (grid_id, at);
CREATE TABLE field_positions (
  user_id TEXT PRIMARY KEY,
  grid_id TEXT NOT NULL,
  lng REAL NOT NULL,
  lat REAL NOT NULL,
  at INTEGER NOT NULL
);
