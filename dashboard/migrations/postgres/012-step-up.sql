-- When a session last answered a second factor again (step-up), for actions that need a fresh one.
-- IF NOT EXISTS: other step-up users (unmasking) may create the same table.
CREATE TABLE IF NOT EXISTS session_step_ups (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
