-- Failed logins for names that are not accounts, counted like an account's
-- (users.failed, users.locked_until), so the reply never tells whether a name
-- exists. Keyed by the SHA-256 of the name: a name typed by mistake (perhaps a
-- password) is not kept readable. Rows idle for 30 days are deleted.
CREATE TABLE IF NOT EXISTS login_failures (
  name_hash TEXT PRIMARY KEY,
  failed INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_last ON login_failures (last_at);
