-- Maintenance windows become bounded, approved and endable (docs/alerts.md).
-- status: pending (a wide window waiting for a city-level approver), approved (silences while open), ended (ended early or withdrawn).
ALTER TABLE alert_windows ADD COLUMN status TEXT NOT NULL DEFAULT 'approved';
ALTER TABLE alert_windows ADD COLUMN approved_by TEXT;
ALTER TABLE alert_windows ADD COLUMN approved_at BIGINT;
ALTER TABLE alert_windows ADD COLUMN ended_by TEXT;
ALTER TABLE alert_windows ADD COLUMN ended_at BIGINT;
-- The planned end a window had before this migration cut it to 24 h (null when it was never cut).
ALTER TABLE alert_windows ADD COLUMN clamped_from BIGINT;
-- A life-safety alarm raised inside a window: not suppressed, only marked "during maintenance".
ALTER TABLE alert_alerts ADD COLUMN during_window_id TEXT;
UPDATE alert_windows SET clamped_from = ends_at, ends_at = starts_at + 86400000 WHERE ends_at - starts_at > 86400000;
-- Windows wider than one community, or over a whole area without a device or kind, were never approved: they wait now.
UPDATE alert_windows SET status = 'pending' WHERE length(area_prefix) < 12 OR (device_id IS NULL AND kind IS NULL);
CREATE INDEX IF NOT EXISTS alert_windows_status ON alert_windows (status, ends_at);
