-- A generation per roll-up bucket that changed after it had ended (late
-- events from a gateway's backlog, retention), so that a hub node may keep a
-- complete bucket's heat folded in memory and know when it is stale
-- (api/routes/folded-buckets.ts, store/rollups/generations.ts). No row: generation
-- 0. The row (0, 0) is the epoch, raised by anything that rewrites roll-ups
-- wholesale (a rebuild, PostgreSQL dropping whole days): every fold from
-- before it is stale.
CREATE TABLE rollup_generations (
  span_ms BIGINT NOT NULL,
  bucket_at BIGINT NOT NULL,
  gen BIGINT NOT NULL,
  PRIMARY KEY (span_ms, bucket_at)
);
