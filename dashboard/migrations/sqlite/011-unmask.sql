-- Unmasking is a permission of its own (src/auth/unmask-grants.ts): an
-- administrator grants it to one named user until a set time; no role holds
-- it. A grant is never edited except to record its revocation.
CREATE TABLE IF NOT EXISTS unmask_grants (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  granted_by TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT
);
CREATE INDEX IF NOT EXISTS unmask_grants_by_user ON unmask_grants (user_id, expires_at);
-- When this session last re-entered its TOTP code (step-up, src/auth/step-up.ts); 0 = never.
ALTER TABLE sessions ADD COLUMN step_up_at INTEGER NOT NULL DEFAULT 0;
-- Unmasked reads are counted (rate limit) and listed (auditors) from the audit log itself.
CREATE INDEX IF NOT EXISTS audit_by_action ON audit_log (action, time);
