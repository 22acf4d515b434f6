-- Unmasking is a permission of its own (src/auth/unmask-grants.ts): an
-- administrator grants it to one named user until a set time; no role holds
-- it. A grant is never edited except to record its revocation.
CREATE TABLE unmask_grants (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  granted_by TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_by TEXT
);
CREATE INDEX unmask_grants_by_user ON unmask_grants (user_id, expires_at);
-- When this session last re-entered its TOTP code (step-up, src/auth/step-up.ts); 0 = never.
ALTER TABLE sessions ADD COLUMN step_up_at BIGINT NOT NULL DEFAULT 0;
-- Unmasked reads are counted (rate limit) and listed (auditors) from the audit log itself.
CREATE INDEX audit_by_action ON audit_log (action, time);
