import type { SqlDb } from '../store/sql/sql-db.js';

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

interface Row {
  event_id: string;
  gateway_id: string;
  grid_id: string;
  camera_id: string;
  taken_at: number;
  content_type: string;
  bytes: Buffer | Uint8Array;
}

/**
 * Event pictures at the hub (already masked by the gateway), one per event, in
 * the hub database (table event_media, migration 010-media: BLOB on SQLite,
 * BYTEA on PostgreSQL), so every hub node sharing the database serves every
 * picture. v0.2 kept them in a separate media.sqlite file, which is no longer read.
 */
export class MediaStore {
  constructor(private readonly db: SqlDb) {}

  /** Stores a picture; a second one for the same event is ignored (a resend after a lost ack). */
  async put(p: StoredPicture): Promise<void> {
    await this.db.run(
      `INSERT INTO event_media (event_id, gateway_id, grid_id, camera_id, taken_at, content_type, bytes, stored_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      [p.eventId, p.gatewayId, p.gridId, p.cameraId, p.takenAt, p.contentType, p.bytes, Date.now()],
    );
  }

  async get(eventId: string): Promise<StoredPicture | null> {
    const r = await this.db.get<Row>(
      'SELECT event_id, gateway_id, grid_id, camera_id, taken_at, content_type, bytes FROM event_media WHERE event_id = ?',
      [eventId],
    );
    return r
      ? {
          eventId: r.event_id,
          gatewayId: r.gateway_id,
          gridId: r.grid_id,
          cameraId: r.camera_id,
          takenAt: r.taken_at,
          contentType: r.content_type,
          bytes: Buffer.isBuffer(r.bytes) ? r.bytes : Buffer.from(r.bytes),
        }
      : null;
  }

  /** Retention: deletes up to `limit` pictures stored before `olderThan` (ms), oldest first; returns how many. */
  async prune(olderThan: number, limit: number): Promise<number> {
    const r = await this.db.run(
      `DELETE FROM event_media WHERE event_id IN
         (SELECT event_id FROM event_media WHERE stored_at < ? ORDER BY stored_at LIMIT ?)`,
      [olderThan, limit],
    );
    return r.changes;
  }
}
