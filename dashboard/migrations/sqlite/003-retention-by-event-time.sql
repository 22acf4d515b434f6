-- Retention counts an event's age from its own time (received_at), as the
-- PostgreSQL store's day partitions do; this index keeps the chunked delete cheap.
CREATE INDEX IF NOT EXISTS events_by_received ON events (received_at);
