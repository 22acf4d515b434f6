import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openBufferDb } from '../src/buffer/buffer-db.js';
import { AlarmLog } from '../src/flows/alarm-log.js';
import { MediaOutbox } from '../src/media/media-outbox.js';
import { CACHE_KIB } from '../src/sqlite-memory.js';

/** The connection a store holds (private: this checks its configuration, nothing else). */
const dbOf = (o: object) => (o as { db: Database.Database }).db;

describe('gateway SQLite memory', () => {
  it('every gateway SQLite connection bounds its page cache (better-sqlite3 defaults to 16 MB, kept for good)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-cache-'));
    const buffer = openBufferDb(join(dir, 'buffer.sqlite'), 'full');
    const alarms = new AlarmLog(join(dir, 'alarms.sqlite'));
    const media = new MediaOutbox(join(dir, 'media.sqlite'), 10);
    for (const db of [buffer, dbOf(alarms), dbOf(media)])
      expect(db.pragma('cache_size', { simple: true })).toBe(-CACHE_KIB);
    buffer.close();
    dbOf(alarms).close();
    dbOf(media).close();
  });
});
