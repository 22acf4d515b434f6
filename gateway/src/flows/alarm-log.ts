import { type LinliEvent, priorityOf } from '@linli/contract';
import Database from 'better-sqlite3';
import { ensurePrivateFile } from '../file-modes.js';
import { boundPageCache } from '../sqlite-memory.js';

const KEEP_MS = 7 * 24 * 3600_000;

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
 */
export class AlarmLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private inserted = 0;

  constructor(file: string) {
    ensurePrivateFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    boundPageCache(this.db);
    this.db.exec(`CREATE TABLE IF NOT EXISTS alarms (
      seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, device_id TEXT NOT NULL,
      received_at INTEGER NOT NULL, summary TEXT NOT NULL)`);
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO alarms (seq, kind, severity, device_id, received_at, summary) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Records the alarms among freshly committed events (called from Outbox.onAppend). */
  record(events: LinliEvent[]): void {
    const alarms = events.filter((e) => priorityOf(e.severity) === 'alarm');
    if (!alarms.length) return;
    this.db.transaction(() => {
      for (const e of alarms)
        this.insert.run(e.seq, e.kind, e.severity, e.deviceId, e.receivedAt, summarize(e).slice(0, 500));
    })();
    this.inserted += alarms.length;
    if (this.inserted > 1000) {
      this.inserted = 0;
      this.db.prepare('DELETE FROM alarms WHERE received_at < ?').run(Date.now() - KEEP_MS);
    }
  }

  since(t: number, limit = 500): LocalAlarm[] {
    return this.db
      .prepare(
        'SELECT seq, kind, severity, device_id AS deviceId, received_at AS receivedAt, summary FROM alarms WHERE received_at >= ? ORDER BY seq DESC LIMIT ?',
      )
      .all(t, limit) as LocalAlarm[];
  }

  close(): void {
    this.db.close();
  }
}

function summarize(e: LinliEvent): string {
  if (e.kind === 'rule.alert') return e.payload.text;
  const p = JSON.stringify(e.payload);
  return p === '{}' ? '' : p;
}
