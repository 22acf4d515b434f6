-- Alarm-source events the alert service took that changed no alert: an
-- all-clear with nothing open (or older than the alert's latest alarm). They
-- are remembered by id like linked events (alert_events), so a resend of one,
-- arriving after a new alarm from the same source, cannot clear that alarm.
-- `received_at` is the event's own time: pruned with the events.
CREATE TABLE IF NOT EXISTS alert_quiet_events (
  event_id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_quiet_events_received ON alert_quiet_events (received_at);
