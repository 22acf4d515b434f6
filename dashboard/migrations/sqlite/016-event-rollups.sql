-- Event counts rolled up at ingest (dashboard/src/store/rollups/), so the
-- heatmap, review and KPIs never scan events. Two spans: an hour (UTC hours,
-- which are also China Standard Time hours) and a China Standard Time day
-- (the event partitions' days). Keys carry the grid code so an area scope is a
-- code-prefix range; cells are the heatmap's ~110 m cells as integer indexes
-- (round(v, 3) × 1000, computed exactly as the scan does; -1000000000 for an
-- event without a position). Filled from existing events by the migration's
-- backfill step (rollups/backfill.ts), in the same transaction.
CREATE TABLE rollup_cells (
  span_ms INTEGER NOT NULL,
  bucket_at INTEGER NOT NULL,
  grid_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  cx INTEGER NOT NULL,
  cy INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (span_ms, bucket_at, grid_id, kind, cx, cy)
) WITHOUT ROWID;
CREATE TABLE rollup_grids (
  span_ms INTEGER NOT NULL,
  bucket_at INTEGER NOT NULL,
  grid_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (span_ms, bucket_at, grid_id)
) WITHOUT ROWID;
