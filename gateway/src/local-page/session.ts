import { createHash, randomBytes } from 'node:crypto';
import type { TestVerdict } from './view.js';

/** A session ends after this long without a request (a phone left on a desk). */
export const IDLE_MS = 15 * 60_000;
/** …and after this long whatever happens: a lost phone stops working by the end of the shift. */
export const ABSOLUTE_MS = 8 * 3600_000;
const MAX_SESSIONS = 64;
export const COOKIE = 'linli_local';

export interface Session {
  created: number;
  lastSeen: number;
  /** The last device test, shown on the page when it was run without the script (a plain form post). */
  lastTest?: TestVerdict;
}

/**
 * Login sessions for the local page, in memory only: a gateway restart logs
 * everyone out, which is the safe direction. The map holds the SHA-256 of
 * each token, so a lookup compares no secret byte by byte.
 */
export class Sessions {
  private readonly byHash = new Map<string, Session>();
  constructor(private readonly now: () => number = Date.now) {}

  /** A new session's token (43 URL-safe characters, 256 random bits). */
  create(): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.byHash.set(digest(token), { created: t, lastSeen: t });
    // Bounded memory: the oldest session gives way.
    while (this.byHash.size > MAX_SESSIONS) this.byHash.delete(this.byHash.keys().next().value!);
    return token;
  }

  /** The live session for this token, refreshed; undefined when unknown or expired. */
  get(token: string | undefined): Session | undefined {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const key = digest(token);
    const s = this.byHash.get(key);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > IDLE_MS || t - s.created > ABSOLUTE_MS) {
      this.byHash.delete(key);
      return undefined;
    }
    s.lastSeen = t;
    return s;
  }

  end(token: string | undefined): void {
    if (token) this.byHash.delete(digest(token));
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The session cookie: HttpOnly, SameSite=Strict, scoped to the page's path, gone after the idle time. */
export function sessionCookie(token: string): string {
  return `${COOKIE}=${token}; Path=/local; HttpOnly; SameSite=Strict; Max-Age=${IDLE_MS / 1000}`;
}
export const CLEAR_COOKIE = `${COOKIE}=; Path=/local; HttpOnly; SameSite=Strict; Max-Age=0`;

export function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}
