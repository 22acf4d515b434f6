import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../file-modes.js';
import { boundPageCache } from '../sqlite-memory.js';
import { capWal } from '../sqlite-wal.js';

export interface PendingMedia {
  id: number;
  eventId: string;
  eventSeq: number;
  cameraId: string;
  takenAt: number;
  webp: Buffer;
  attempts: number;
}

/**
 * Thumbnails waiting for the hub, in their own small SQLite file so a burst of
 * pictures never competes with the event buffer. Bounded: past `maxItems` the
 * oldest picture is dropped (the event it belongs to has already gone its own
 * way; only the picture is lost, and the full JPEG stays on the gateway).
 */
export class MediaOutbox {
  private readonly db: Database.Database;
  private readonly q;

  constructor(
    file: string,
    private readonly maxItems: number,
  ) {
    ensurePrivateDir(dirname(file));
    ensurePrivateFile(file);
    this.db = new Database(file);
    // A new file hands its free pages back on request (dropOldestFreeing), so pictures can make room on a full disk.
    if (this.db.pragma('page_count', { simple: true }) === 0) this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    boundPageCache(this.db);
    this.db.pragma('synchronous = NORMAL');
    capWal(this.db);
    this.db.exec(`CREATE TABLE IF NOT EXISTS media_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL,
      event_seq INTEGER NOT NULL,
      camera_id TEXT NOT NULL,
      taken_at INTEGER NOT NULL,
      webp BLOB NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    )`);
    this.q = {
      insert: this.db.prepare<[string, number, string, number, Buffer]>(
        'INSERT INTO media_outbox (event_id, event_seq, camera_id, taken_at, webp) VALUES (?, ?, ?, ?, ?)',
      ),
      count: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM media_outbox'),
      dropOldest: this.db.prepare<[number]>(
        'DELETE FROM media_outbox WHERE id IN (SELECT id FROM media_outbox ORDER BY id LIMIT ?)',
      ),
      ready: this.db.prepare<
        [number, number],
        {
          id: number;
          event_id: string;
          event_seq: number;
          camera_id: string;
          taken_at: number;
          webp: Buffer;
          attempts: number;
        }
      >('SELECT * FROM media_outbox WHERE event_seq <= ? ORDER BY id LIMIT ?'),
      remove: this.db.prepare<[number]>('DELETE FROM media_outbox WHERE id = ?'),
      attempt: this.db.prepare<[number]>('UPDATE media_outbox SET attempts = attempts + 1 WHERE id = ?'),
    };
  }

  /** Queues a picture; returns how many old ones were dropped to make room. */
  add(m: Omit<PendingMedia, 'id' | 'attempts'>): number {
    return this.db.transaction(() => {
      this.q.insert.run(m.eventId, m.eventSeq, m.cameraId, m.takenAt, m.webp);
      const over = this.q.count.get()!.n - this.maxItems;
      if (over > 0) this.q.dropOldest.run(over);
      return Math.max(0, over);
    })();
  }

  /** Pictures whose events the hub already has (sequence ≤ its acknowledgement), oldest first. */
  ready(ackedSeq: number, limit: number): PendingMedia[] {
    return this.q.ready.all(ackedSeq, limit).map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventSeq: r.event_seq,
      cameraId: r.camera_id,
      takenAt: r.taken_at,
      webp: r.webp,
      attempts: r.attempts,
    }));
  }

  remove(id: number): void {
    this.q.remove.run(id);
  }

  attempted(id: number): void {
    this.q.attempt.run(id);
  }

  /**
   * Drops the oldest quarter of the queue (at least one picture) and hands the
   * freed pages back to the filesystem; returns the bytes the file shrank by.
   */
  dropOldestFreeing(): number {
    const n = this.depth();
    if (!n) return 0;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const before = this.db.pragma('page_count', { simple: true }) as number;
    this.q.dropOldest.run(Math.max(1, Math.ceil(n / 4)));
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    const shrunk = (before - (this.db.pragma('page_count', { simple: true }) as number)) * pageSize;
    // An older file without incremental vacuum frees nothing on disk, but its pictures are gone: say so.
    return Math.max(shrunk, 1);
  }

  depth(): number {
    return this.q.count.get()!.n;
  }

  close(): void {
    this.db.close();
  }
}
