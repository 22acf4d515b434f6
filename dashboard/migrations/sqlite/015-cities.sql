-- The city as data: each import is a version (areas, facilities, walking
-- network, homes, where it came from and its validation report); exactly one
-- valid version is active (city_active holds one row). A failed import is kept
-- with its report and can never be activated. Coverage is computed after
-- activation and stored with its version, so every hub node reads the same.
CREATE TABLE city_versions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  report TEXT NOT NULL,
  area_count INTEGER NOT NULL,
  facilities TEXT,
  network TEXT,
  homes TEXT,
  coverage TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE city_areas (
  version_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent TEXT,
  ring TEXT,
  -- The file's order: it decides which grid owns a point on a shared edge (the earliest, geo's GridIndex).
  ord INTEGER NOT NULL,
  PRIMARY KEY (version_id, code)
) WITHOUT ROWID;
CREATE TABLE city_active (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  version_id INTEGER NOT NULL,
  activated_at INTEGER NOT NULL,
  activated_by TEXT NOT NULL
);
