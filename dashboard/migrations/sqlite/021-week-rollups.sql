-- Week roll-ups (China Standard Time weeks from Monday, span 604800000 ms,
-- counted from 1970-01-05 00:00 +08:00 = 316800000 ms): the heatmap, review
-- and KPIs read a 30-day window as four weeks, a few days and hours. In a
-- city whose devices each sit in their own ~110 m cell, a day holds about as
-- many rows as there are devices, so 30 days of day rows were nearly a scan
-- (bench/heatmap.bench.mjs). Derived from the day rows already there, which
-- hold every stored event; from here on the ingest hook, retention and the
-- backfill count weeks as they count days (store/rollups/rollup-writer.ts).
-- Week rows a backfill (migration 016 run by this version) may have written
-- are replaced, so nothing is counted twice.
DELETE FROM rollup_cells WHERE span_ms = 604800000;
DELETE FROM rollup_grids WHERE span_ms = 604800000;
INSERT INTO rollup_cells (span_ms, bucket_at, grid_id, kind, cx, cy, n)
SELECT 604800000, (bucket_at - 316800000) / 604800000 * 604800000 + 316800000, grid_id, kind, cx, cy, sum(n)
FROM rollup_cells WHERE span_ms = 86400000
GROUP BY (bucket_at - 316800000) / 604800000, grid_id, kind, cx, cy;
INSERT INTO rollup_grids (span_ms, bucket_at, grid_id, n)
SELECT 604800000, (bucket_at - 316800000) / 604800000 * 604800000 + 316800000, grid_id, sum(n)
FROM rollup_grids WHERE span_ms = 86400000
GROUP BY (bucket_at - 316800000) / 604800000, grid_id;
