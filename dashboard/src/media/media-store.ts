import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface StoredPicture {
  eventId: string;
  gatewayId: string;
  /** The event's grid: who may see the picture is decided by it. */
  gridId: string;
  cameraId: string;
  takenAt: number;
  contentType: string;
  bytes: Buffer;
}

/**
 * Event pictures at the hub (already masked by the gateway), one per event,
 * in their own SQLite file beside the hub database so pictures never slow
 * event ingestion. ':memory:' keeps them for the process lifetime only.
 */
export class MediaStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS pictures (
      event_id TEXT PRIMARY KEY,
      gateway_id TEXT NOT NULL,
      grid_id TEXT NOT NULL,
      camera_id TEXT NOT NULL,
      taken_at INTEGER NOT NULL,
      content_type TEXT NOT NULL,
      bytes BLOB NOT NULL,
      stored_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS pictures_by_time ON pictures (stored_at);`);
    this.q = {
      put: this.db.prepare<[string, string, string, string, number, string, Buffer, number]>(
        `INSERT INTO pictures (event_id, gateway_id, grid_id, camera_id, taken_at, content_type, bytes, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      ),
      get: this.db.prepare<
        [string],
        {
          event_id: string;
          gateway_id: string;
          grid_id: string;
          camera_id: string;
          taken_at: number;
          content_type: string;
          bytes: Buffer;
        }
      >('SELECT * FROM pictures WHERE event_id = ?'),
    };
  }

  /** Stores a picture; a second one for the same event is ignored (a resend after a lost ack). */
  put(p: StoredPicture): void {
    this.q.put.run(p.eventId, p.gatewayId, p.gridId, p.cameraId, p.takenAt, p.contentType, p.bytes, Date.now());
  }

  get(eventId: string): StoredPicture | null {
    const r = this.q.get.get(eventId);
    return r
      ? {
          eventId: r.event_id,
          gatewayId: r.gateway_id,
          gridId: r.grid_id,
          cameraId: r.camera_id,
          takenAt: r.taken_at,
          contentType: r.content_type,
          bytes: r.bytes,
        }
      : null;
  }

  /** Retention: deletes up to `limit` pictures stored before `olderThan` (ms), oldest first; returns how many. */
  prune(olderThan: number, limit: number): number {
    return this.db
      .prepare(
        'DELETE FROM pictures WHERE event_id IN (SELECT event_id FROM pictures WHERE stored_at < ? ORDER BY stored_at LIMIT ?)',
      )
      .run(olderThan, limit).changes;
  }

  close(): void {
    this.db.close();
  }
}
