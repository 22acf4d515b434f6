-- Roll-ups by China Standard Time quarter day (00:00, 06:00, 12:00, 18:00;
-- span 21600000 ms) and week from Monday (span 604800000 ms, counted from
-- 1970-01-05 00:00 +08:00 = 316800000 ms), beside the hours and days: the
-- heatmap, review and KPIs read the cockpit's 25 hours as a few hours and
-- three or four quarters, and 30 days as three or four weeks, some days,
-- quarters and hours. In a city whose devices each sit in their own ~110 m
-- cell, a bucket holds about one row per device that reported in it, so 25
-- hour buckets, or 29 day buckets, were nearly a scan (bench/heatmap.bench.mjs).
-- Derived from the rows already there (quarters from hours, weeks from days),
-- which hold every stored event; from here on the ingest hook, retention and
-- the backfill count them as they count hours and days
-- (store/rollups/rollup-writer.ts). Rows of these spans that a backfill
-- (migration 016 run by this version) may have written are replaced, so
-- nothing is counted twice. 28800000 ms is China Standard Time's offset.
DELETE FROM rollup_cells WHERE span_ms IN (21600000, 604800000);
DELETE FROM rollup_grids WHERE span_ms IN (21600000, 604800000);
INSERT INTO rollup_cells (span_ms, bucket_at, grid_id, kind, cx, cy, n)
SELECT 21600000, (bucket_at + 28800000) / 21600000 * 21600000 - 28800000, grid_id, kind, cx, cy, sum(n)
FROM rollup_cells WHERE span_ms = 3600000
GROUP BY (bucket_at + 28800000) / 21600000, grid_id, kind, cx, cy;
INSERT INTO rollup_grids (span_ms, bucket_at, grid_id, n)
SELECT 21600000, (bucket_at + 28800000) / 21600000 * 21600000 - 28800000, grid_id, sum(n)
FROM rollup_grids WHERE span_ms = 3600000
GROUP BY (bucket_at + 28800000) / 21600000, grid_id;
INSERT INTO rollup_cells (span_ms, bucket_at, grid_id, kind, cx, cy, n)
SELECT 604800000, (bucket_at - 316800000) / 604800000 * 604800000 + 316800000, grid_id, kind, cx, cy, sum(n)
FROM rollup_cells WHERE span_ms = 86400000
GROUP BY (bucket_at - 316800000) / 604800000, grid_id, kind, cx, cy;
INSERT INTO rollup_grids (span_ms, bucket_at, grid_id, n)
SELECT 604800000, (bucket_at - 316800000) / 604800000 * 604800000 + 316800000, grid_id, sum(n)
FROM rollup_grids WHERE span_ms = 86400000
GROUP BY (bucket_at - 316800000) / 604800000, grid_id;
