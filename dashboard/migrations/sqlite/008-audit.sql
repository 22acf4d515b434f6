-- The audit log: append-only, hash-chained (src/audit). The triggers stop
-- mistakes and casual edits through the hub's own connection; the chain and
-- its HMAC key (kept outside the database) catch the rest.
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
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
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (time);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit_log (target_type, target_id);
CREATE INDEX IF NOT EXISTS audit_by_user ON audit_log (user_id, time);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
