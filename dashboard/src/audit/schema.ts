import type Database from 'better-sqlite3';

/**
 * The audit table and the triggers that make it append-only. Idempotent: run
 * on every start. The triggers stop mistakes and casual edits through the
 * application's own connection; someone with the file can drop them, which
 * is what the hash chain (and its HMAC key, kept outside the database) is for.
 */
export function migrateAudit(db: Database.Database): void {
  db.exec(`
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
  `);
}
