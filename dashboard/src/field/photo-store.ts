import type { FieldPhoto } from '@linli/contract';
import type { SqlExec } from '../store/sql/sql-db.js';

export interface FieldPhotoMeta {
  id: string;
  alertId: string;
  /** Who may see it is decided by this grid (like an event picture's). */
  gridId: string;
  userId: string;
  /** `matter`: taken when reporting; `resolve`: taken when closing a task. */
  purpose: 'matter' | 'resolve';
  takenAt: number;
}

/** Why `bytes` is not a JPEG we keep, or null. */
export function checkJpeg(bytes: Buffer): string | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return 'not a JPEG image';
  return null;
}

/**
 * Photos from the field, in the hub database beside event pictures (so every
 * hub node serves them), pruned with them by the retention chore. Reading
 * one is audited by the route that serves it.
 */
export class FieldPhotoStore {
  constructor(private readonly db: SqlExec) {}

  /** Decodes and stores the photos of one action; returns their ids. Throws on a photo that is not a JPEG. */
  async putAll(
    photos: readonly FieldPhoto[],
    meta: Omit<FieldPhotoMeta, 'id' | 'takenAt'>,
    newId: () => string,
    now: number,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, p] of photos.entries()) {
      const bytes = Buffer.from(p.data, 'base64');
      const bad = checkJpeg(bytes);
      if (bad) throw new PhotoError(`photo ${i + 1}: ${bad}`);
      const id = newId();
      await this.db.run(
        `INSERT INTO field_photos (id, alert_id, grid_id, user_id, purpose, content_type, bytes, taken_at, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, meta.alertId, meta.gridId, meta.userId, meta.purpose, p.contentType, bytes, p.takenAt ?? now, now],
      );
      ids.push(id);
    }
    return ids;
  }

  async get(id: string): Promise<(FieldPhotoMeta & { contentType: string; bytes: Buffer }) | null> {
    const r = await this.db.get<{
      id: string;
      alert_id: string;
      grid_id: string;
      user_id: string;
      purpose: string;
      content_type: string;
      bytes: Buffer | Uint8Array;
      taken_at: number;
    }>('SELECT * FROM field_photos WHERE id = ?', [id]);
    if (!r) return null;
    return {
      ...{ id: r.id, alertId: r.alert_id, gridId: r.grid_id, userId: r.user_id },
      ...{ purpose: r.purpose as FieldPhotoMeta['purpose'], takenAt: r.taken_at, contentType: r.content_type },
      bytes: Buffer.isBuffer(r.bytes) ? r.bytes : Buffer.from(r.bytes),
    };
  }

  /** The photos of an alert (ids and metadata, no bytes). */
  async ofAlert(alertId: string): Promise<FieldPhotoMeta[]> {
    const rows = await this.db.all<{
      id: string;
      alert_id: string;
      grid_id: string;
      user_id: string;
      purpose: string;
      taken_at: number;
    }>('SELECT id, alert_id, grid_id, user_id, purpose, taken_at FROM field_photos WHERE alert_id = ? ORDER BY id', [
      alertId,
    ]);
    return rows.map((r) => ({
      ...{ id: r.id, alertId: r.alert_id, gridId: r.grid_id, userId: r.user_id },
      ...{ purpose: r.purpose as FieldPhotoMeta['purpose'], takenAt: r.taken_at },
    }));
  }

  /** Retention: deletes up to `limit` photos stored before `olderThan`. */
  async prune(olderThan: number, limit: number): Promise<number> {
    const r = await this.db.run(
      `DELETE FROM field_photos WHERE id IN (SELECT id FROM field_photos WHERE stored_at < ? ORDER BY stored_at LIMIT ?)`,
      [olderThan, limit],
    );
    return r.changes;
  }
}

/** A photo the hub will not keep: the action is refused, never half-applied. */
export class PhotoError extends Error {
  readonly code = 'FIELD_BAD_PHOTO';
}
