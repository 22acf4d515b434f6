-- The leader's sweep for alarms a node stored but did not raise
-- (cluster/chores.ts raiseMissedAlarms, every second) reads the last 15
-- minutes of stored events for warning and critical ones. Through the
-- stored_at index it visited every event of those minutes: during a backlog
-- replay, or at a city's normal rate, hundreds of thousands of rows a second
-- for a handful of alarms. This partial index (created on every partition)
-- holds only alarm-severity events, so the sweep reads those alone.
CREATE INDEX events_alarms_by_stored ON events (stored_at) WHERE severity IN ('warning', 'critical');
