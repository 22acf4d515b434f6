-- The key-population register (src/people). Personal fields are ciphertext;
-- grid and category stay in clear so counts need no decryption. One row per
-- person and category.
CREATE TABLE people_residents (
  id TEXT PRIMARY KEY,
  grid_code TEXT NOT NULL,
  category TEXT NOT NULL,
  name_enc TEXT NOT NULL,
  id_number_enc TEXT NOT NULL,
  phone_enc TEXT,
  address_enc TEXT,
  id_blind TEXT NOT NULL,
  import_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (id_blind, category)
);
CREATE INDEX people_by_grid ON people_residents (grid_code text_pattern_ops, category);
CREATE TABLE people_imports (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  format TEXT NOT NULL,
  rows BIGINT NOT NULL
);
