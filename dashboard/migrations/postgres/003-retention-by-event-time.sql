-- Retention counts an event's age from its own time (received_at): whole day
-- partitions are dropped; this index serves the row-by-row delete that only
-- the default partition (events outside the prepared days) needs.
CREATE INDEX events_default_by_received ON events_default (received_at);
