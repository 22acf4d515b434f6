import { hashSecret, newSecret } from '../secrets.js';
import type { SqlExec } from '../store/sql/sql-db.js';

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

/** Hashes per query when checking many sockets' sessions at once. */
const LIVE_CHUNK = 500;

/** Sessions (table from migration 004-auth), shared by every hub node through the database. */
export class SessionRepo {
  constructor(private readonly db: SqlExec) {}

  /** Returns the token once; it is never stored or shown again. */
  async create(
    userId: string,
    kind: SessionKind,
    now: number,
    maxMs = SESSION_LIMITS[kind].maxMs,
  ): Promise<{ token: string; session: Session }> {
    const token = newSecret();
    const { idleMs } = SESSION_LIMITS[kind];
    const expiresAt = now + Math.min(maxMs, SESSION_LIMITS[kind].maxMs);
    await this.db.run(
      'INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen, expires_at, idle_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [hashSecret(token), userId, kind, now, now, expiresAt, idleMs],
    );
    return { token, session: { tokenHash: hashSecret(token), userId, kind, createdAt: now, expiresAt } };
  }

  /** The live session for a token, touching its idle clock; null when unknown, revoked or expired. */
  async validate(token: string, now: number): Promise<Session | null> {
    const h = hashSecret(token);
    const r = await this.db.get<Row>('SELECT * FROM sessions WHERE token_hash = ?', [h]);
    if (!r || !isLive(r, now)) return null;
    // Only moves forward: a node with a request that started earlier never winds the idle clock back.
    if (now - r.last_seen > 5_000)
      await this.db.run('UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?', [now, h, now]);
    return { tokenHash: h, userId: r.user_id, kind: r.kind, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  /** Checks without touching the idle clock (used by the socket sweeper). */
  async isLive(tokenHash: string, now: number): Promise<boolean> {
    const r = await this.db.get<Row>('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash]);
    return !!r && isLive(r, now);
  }

  /** Which of these session hashes are still live, a few queries for any number of sockets. */
  async liveAmong(tokenHashes: readonly string[], now: number): Promise<Set<string>> {
    const unique = [...new Set(tokenHashes)];
    const live = new Set<string>();
    for (let i = 0; i < unique.length; i += LIVE_CHUNK) {
      const chunk = unique.slice(i, i + LIVE_CHUNK);
      const rows = await this.db.all<Row>(
        `SELECT * FROM sessions WHERE token_hash IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const r of rows) if (isLive(r, now)) live.add(r.token_hash);
    }
    return live;
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.db.run('UPDATE sessions SET revoked = 1 WHERE token_hash = ?', [tokenHash]);
  }

  async revokeUser(userId: string): Promise<void> {
    await this.db.run('UPDATE sessions SET revoked = 1 WHERE user_id = ?', [userId]);
  }

  /** Forgets sessions that can never be valid again. */
  async prune(now: number): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE revoked = 1 OR expires_at < ?', [now])).changes;
  }
}

function isLive(r: Row, now: number): boolean {
  return r.revoked === 0 && now < r.expires_at && now - r.last_seen <= r.idle_ms;
}
