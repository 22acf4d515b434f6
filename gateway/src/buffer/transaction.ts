import type Database from 'better-sqlite3';
import type { Tally } from './eviction.js';
import type { OverflowCounts } from './overflow-counts.js';

/**
 * One buffer transaction. The running totals in memory are put back if it
 * fails, and counts waiting in memory are written with it (and wait again if
 * it rolls back). Throws, after rolling back, on any SQLite error.
 */
export function bufferTxn<T>(db: Database.Database, tally: Tally, counts: OverflowCounts, fn: () => T): T {
  const saved = { ...tally };
  db.exec('BEGIN IMMEDIATE');
  try {
    counts.flushInTx();
    const r = fn();
    db.exec('COMMIT');
    counts.settled(true);
    return r;
  } catch (err) {
    // After SQLITE_FULL SQLite may already have rolled back; a ROLLBACK then would throw and hide the real error.
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (e.g. SQLITE_FULL ends the transaction): nothing is left to undo.
      }
    }
    Object.assign(tally, saved);
    counts.settled(false);
    throw err;
  }
}
