import type Database from 'better-sqlite3';

/**
 * Page cache per gateway SQLite connection, in KiB. better-sqlite3 builds
 * SQLite with a 16 MB default, and SQLite keeps cache pages until the
 * connection closes: after one big backlog the buffer alone held ~16 MB of RSS
 * for good. The gateway's files are appended at one end and read at the other,
 * so the hot pages (B-tree interiors and both ends) fit in far less.
 */
export const CACHE_KIB = 2048;

/** Bounds the connection's page cache (see CACHE_KIB). */
export function boundPageCache(db: Database.Database): void {
  db.pragma(`cache_size = -${CACHE_KIB}`);
}
