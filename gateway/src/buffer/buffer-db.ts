import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../file-modes.js';
import { boundPageCache } from '../sqlite-memory.js';

export type Durability = 'full' | 'normal';
const SCHEMA_VERSION = 1;

/**
 * Opens the buffer database. WAL so readers never block the writer;
 * `synchronous` chosen by config (FULL: a committed event survives a power cut;
 * NORMAL: it survives a crash of the process but a power cut can lose the last
 * commits, never corrupting the file). The WAL is truncated back to 4 MiB after
 * checkpoints so a burst cannot leave a huge file behind on a small disk.
 */
export function openBufferDb(file: string, synchronous: Durability): Database.Database {
  ensurePrivateDir(dirname(file));
  ensurePrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  boundPageCache(db);
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('journal_size_limit = 4194304');
  // Checkpoint every ~1 MiB of WAL (default 4 MiB): on a small disk the WAL is what fills it first.
  db.pragma('wal_autocheckpoint = 256');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`${file} was written by a newer gateway (buffer schema ${version}); upgrade this gateway`);
  }
  db.exec(`
    -- One table per class, keyed by sequence: eviction takes the first rows of
    -- telemetry without a secondary index (which would cost every insert ~15%),
    -- and reads merge the two in sequence order (SQLite's MERGE (UNION ALL)).
    CREATE TABLE IF NOT EXISTS alarms (
      seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, bytes INTEGER NOT NULL, body TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS telemetry (
      seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, bytes INTEGER NOT NULL, body TEXT NOT NULL
    );
    -- Telemetry sequences evicted to make room; the hub is told so it can move past them.
    CREATE TABLE IF NOT EXISTS evicted (from_seq INTEGER PRIMARY KEY, to_seq INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS evicted_by_end ON evicted (to_seq);
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT OR IGNORE INTO meta (key, value) VALUES
      ('last_seq', 0), ('evicted_telemetry', 0), ('refused_alarms', 0), ('refused_telemetry', 0);
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
  return db;
}

/** SQLite and the OS saying the disk is full (SQLITE_FULL, or an I/O error from ENOSPC). */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : '';
  return code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || /disk is full|ENOSPC|no space/i.test(msg);
}
