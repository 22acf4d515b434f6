-- One-time enrollment codes, stored only as hashes. Redeeming is one
-- conditional UPDATE (used_at IS NULL), so two nodes cannot both redeem a code.
CREATE TABLE enrollment_codes (
  code_hash TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  area_code TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
