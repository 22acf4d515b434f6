import type Database from 'better-sqlite3';

/**
 * The WAL cap every SQLite file on the gateway gets (they share one small
 * disk): checkpoint every ~1 MiB of WAL (default 4 MiB) and truncate the WAL
 * back to 4 MiB after a checkpoint, so a burst cannot leave a huge file behind.
 */
export function capWal(db: Database.Database): void {
  db.pragma('journal_size_limit = 4194304');
  db.pragma('wal_autocheckpoint = 256');
}
