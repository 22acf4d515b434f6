-- The audit log: append-only, hash-chained (src/audit). Appends take the
-- 'audit-chain' advisory lock, so hub nodes sharing this database extend one
-- chain. The trigger stops mistakes and casual edits through the hub's own
-- role; the chain and its HMAC key (kept outside the database) catch the rest.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
  area_code TEXT,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (time);
CREATE INDEX audit_by_target ON audit_log (target_type, target_id);
CREATE INDEX audit_by_user ON audit_log (user_id, time);
-- Area scoping (area_code LIKE 'prefix%') for auditors.
CREATE INDEX audit_by_area ON audit_log (area_code text_pattern_ops, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
