import { type LinliEvent, priorityOf } from '@linli/contract';
import Database from 'better-sqlite3';
import { isDiskFull } from '../buffer/buffer-db.js';
import { ensurePrivateFile } from '../file-modes.js';
import { boundPageCache } from '../sqlite-memory.js';
import type { Logger } from '../log.js';
import { capWal } from '../sqlite-wal.js';

const KEEP_MS = 7 * 24 * 3600_000;
/** Alarms kept in memory while the disk refuses them (the oldest give way beyond this). */
const MAX_WAITING = 2000;

export interface LocalAlarm {
  seq: number;
  kind: string;
  severity: string;
  deviceId: string;
  receivedAt: number;
  /** A one-line summary: the rule's text, or the payload for device alarms. */
  summary: string;
}

/**
 * The gateway's own record of recent alarms, for the on-site status page.
 * The outbox forgets an event once the hub acknowledges it; staff on site
 * still need to see what happened today, link or no link. Kept 7 days.
 *
 * It shares the disk with the buffer and is the lesser record of the two: when
 * the disk is full its rows wait in memory (bounded) and are written once it
 * takes them again; a write error is logged once per episode, never thrown.
 */
export class AlarmLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private inserted = 0;
  private waiting: LocalAlarm[] = [];
  private dropped = 0;
  private failing = false;

  constructor(
    file: string,
    private readonly log?: Logger,
  ) {
    ensurePrivateFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    boundPageCache(this.db);
    this.db.pragma('synchronous = NORMAL');
    capWal(this.db);
    this.db.exec(`CREATE TABLE IF NOT EXISTS alarms (
      seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, device_id TEXT NOT NULL,
      received_at INTEGER NOT NULL, summary TEXT NOT NULL)`);
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO alarms (seq, kind, severity, device_id, received_at, summary) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Records the alarms among freshly committed events (called from Outbox.onAppend). Never throws. */
  record(events: LinliEvent[]): void {
    for (const e of events)
      if (priorityOf(e.severity) === 'alarm')
        this.waiting.push({
          seq: e.seq,
          kind: e.kind,
          severity: e.severity,
          deviceId: e.deviceId,
          receivedAt: e.receivedAt,
          summary: summarize(e).slice(0, 500),
        });
    if (!this.waiting.length) return;
    try {
      this.db.transaction(() => {
        for (const a of this.waiting) this.insert.run(a.seq, a.kind, a.severity, a.deviceId, a.receivedAt, a.summary);
      })();
    } catch (err) {
      return this.failed(err);
    }
    this.inserted += this.waiting.length;
    this.waiting = [];
    if (this.failing) {
      this.failing = false;
      this.log?.warn({ dropped: this.dropped }, 'alarm log writable again');
      this.dropped = 0;
    }
    if (this.inserted > 1000) {
      this.inserted = 0;
      try {
        this.db.prepare('DELETE FROM alarms WHERE received_at < ?').run(Date.now() - KEEP_MS);
      } catch {
        // Pruning waits for the next thousand alarms.
      }
    }
  }

  since(t: number, limit = 500): LocalAlarm[] {
    const stored = this.db
      .prepare(
        'SELECT seq, kind, severity, device_id AS deviceId, received_at AS receivedAt, summary FROM alarms WHERE received_at >= ? ORDER BY seq DESC LIMIT ?',
      )
      .all(t, limit) as LocalAlarm[];
    // Alarms waiting for the disk are shown too: the page is for people on site now.
    const waiting = this.waiting.filter((a) => a.receivedAt >= t).reverse();
    return [...waiting, ...stored].slice(0, limit);
  }

  close(): void {
    this.db.close();
  }

  private failed(err: unknown): void {
    if (this.waiting.length > MAX_WAITING) {
      this.dropped += this.waiting.length - MAX_WAITING;
      this.waiting = this.waiting.slice(-MAX_WAITING);
    }
    if (this.failing) return;
    this.failing = true;
    const fields = { err: String(err), code: (err as { code?: unknown }).code, waiting: this.waiting.length };
    if (isDiskFull(err)) this.log?.warn(fields, 'alarm log: disk full; alarms kept in memory until it has room');
    else this.log?.error(fields, 'alarm log write failed; alarms kept in memory and retried');
  }
}

function summarize(e: LinliEvent): string {
  if (e.kind === 'rule.alert') return e.payload.text;
  const p = JSON.stringify(e.payload);
  return p === '{}' ? '' : p;
}
