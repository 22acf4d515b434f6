import type Database from 'better-sqlite3';
import { hashSecret, newSecret } from '../secrets.js';

export type SessionKind = 'interactive' | 'display';

/**
 * Interactive sessions end after 30 minutes idle or 12 hours in all (MLPS
 * asks for idle timeouts); display sessions, issued by an administrator for a
 * wall display that nobody touches, last up to 30 days. Only the token's hash
 * is stored.
 */
export const SESSION_LIMITS: Record<SessionKind, { idleMs: number; maxMs: number }> = {
  interactive: { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 },
  display: { idleMs: 30 * 24 * 3600_000, maxMs: 30 * 24 * 3600_000 },
};

export interface Session {
  tokenHash: string;
  userId: string;
  kind: SessionKind;
  createdAt: number;
  expiresAt: number;
}

interface Row {
  token_hash: string;
  user_id: string;
  kind: SessionKind;
  created_at: number;
  last_seen: number;
  expires_at: number;
  idle_ms: number;
  revoked: number;
}

export class SessionRepo {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        idle_ms INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
    `);
  }

  /** Returns the token once; it is never stored or shown again. */
  create(
    userId: string,
    kind: SessionKind,
    now: number,
    maxMs = SESSION_LIMITS[kind].maxMs,
  ): { token: string; session: Session } {
    const token = newSecret();
    const { idleMs } = SESSION_LIMITS[kind];
    const expiresAt = now + Math.min(maxMs, SESSION_LIMITS[kind].maxMs);
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen, expires_at, idle_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(hashSecret(token), userId, kind, now, now, expiresAt, idleMs);
    return { token, session: { tokenHash: hashSecret(token), userId, kind, createdAt: now, expiresAt } };
  }

  /** The live session for a token, touching its idle clock; null when unknown, revoked or expired. */
  validate(token: string, now: number): Session | null {
    const h = hashSecret(token);
    const r = this.db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?').get(h);
    if (!r || !isLive(r, now)) return null;
    if (now - r.last_seen > 5_000)
      this.db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?').run(now, h);
    return { tokenHash: h, userId: r.user_id, kind: r.kind, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  /** Checks without touching the idle clock (used by the socket sweeper). */
  isLive(tokenHash: string, now: number): boolean {
    const r = this.db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash);
    return !!r && isLive(r, now);
  }

  revoke(tokenHash: string): void {
    this.db.prepare('UPDATE sessions SET revoked = 1 WHERE token_hash = ?').run(tokenHash);
  }

  revokeUser(userId: string): void {
    this.db.prepare('UPDATE sessions SET revoked = 1 WHERE user_id = ?').run(userId);
  }

  /** Forgets sessions that can never be valid again. */
  prune(now: number): number {
    return this.db.prepare('DELETE FROM sessions WHERE revoked = 1 OR expires_at < ?').run(now).changes;
  }
}

function isLive(r: Row, now: number): boolean {
  return r.revoked === 0 && now < r.expires_at && now - r.last_seen <= r.idle_ms;
}
