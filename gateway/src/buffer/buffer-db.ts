import { StorageFault } from '@linli/contract';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../file-modes.js';
import { boundPageCache } from '../sqlite-memory.js';
import { capWal } from '../sqlite-wal.js';

export type Durability = 'full' | 'normal';
const SCHEMA_VERSION = 1;

/**
 * Opens the buffer database. WAL so readers never block the writer;
 * `synchronous` chosen by config (FULL: a committed event survives a power cut;
 * NORMAL: it survives a crash of the process but a power cut can lose the last
 * commits, never corrupting the file). The WAL is truncated back to 4 MiB after
 * checkpoints so a burst cannot leave a huge file behind on a small disk; below
 * that it keeps its size, which is what lets the buffer still write (reusing
 * its own free pages) once the filesystem is full.
 */
export function openBufferDb(file: string, synchronous: Durability): Database.Database {
  ensurePrivateDir(dirname(file));
  ensurePrivateFile(file);
  const db = new Database(file);
  // No auto_vacuum: it costs about a third of the enqueue rate (pointer-map pages on every new page).
  // Free pages stay in the file and are reused first; the disk-full logic counts them as room.
  db.pragma('journal_mode = WAL');
  boundPageCache(db);
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  capWal(db);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new StorageFault(
      'STORAGE',
      `${file} was written by a newer gateway (buffer schema ${version}); upgrade this gateway`,
    );
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
    -- Refused and evicted events by kind not yet reported to the hub (gateway.buffer_full); a report
    -- is committed in the same transaction that subtracts what it carries, so no count is lost or doubled.
    CREATE TABLE IF NOT EXISTS unreported (
      kind TEXT NOT NULL, class TEXT NOT NULL, refused INTEGER NOT NULL, evicted INTEGER NOT NULL,
      PRIMARY KEY (kind, class)
    );
    INSERT OR IGNORE INTO meta (key, value) VALUES
      ('last_seq', 0), ('evicted_telemetry', 0), ('refused_alarms', 0), ('refused_telemetry', 0),
      ('unreported_since', 0), ('unreported_disk_full', 0);
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
  return db;
}

/** SQLite and the OS saying the disk is full (SQLITE_FULL, or an I/O error from ENOSPC). */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return /disk is full|ENOSPC|no space/i.test(err instanceof Error ? err.message : '');
  const msg = err instanceof Error ? err.message : '';
  return (
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    code.startsWith('SQLITE_IOERR') ||
    /disk is full|ENOSPC|no space/i.test(msg)
  );
}
