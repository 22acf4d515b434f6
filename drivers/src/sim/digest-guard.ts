import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { digestResponse, parseAuthParams } from '../gate/digest.js';

export interface DigestGuardOptions {
  realm: string;
  username: string;
  password: string;
  /** A nonce older than this is answered with `stale=true` (the client retries without asking the user). */
  nonceTtlMs: number;
  /** After this many failed attempts in a row the user is locked out, as terminals do. 0: never. */
  lockAfter: number;
  lockMs: number;
}

export type DigestVerdict =
  | { ok: true; username: string }
  | { ok: false; challenge: string; locked: boolean; reason: 'missing' | 'stale' | 'bad' | 'locked' };

/**
 * The server half of Digest auth, as a terminal does it: random nonces with a
 * lifetime, a per-nonce count that must grow (replays refused), `stale=true`
 * for a correct answer to an expired nonce, and a lockout after repeated
 * wrong passwords.
 */
export class DigestGuard {
  private readonly nonces = new Map<string, { issued: number; lastNc: number }>();
  private failures = 0;
  private lockedUntil = 0;
  readonly opaque = randomBytes(8).toString('hex');
  /** How many correct answers came with an expired nonce (and were told `stale=true`). */
  staleAnswers = 0;

  constructor(private readonly o: DigestGuardOptions) {}

  check(req: IncomingMessage): DigestVerdict {
    const now = Date.now();
    if (now < this.lockedUntil) return this.refuse('locked', false);
    const header = req.headers.authorization;
    const m = header ? /^\s*Digest\s+(.*)$/is.exec(header) : null;
    if (!m) return this.refuse('missing', false);
    const p = parseAuthParams(m[1]!);
    const nonce = p.get('nonce') ?? '';
    const known = this.nonces.get(nonce);
    const algorithm = p.get('algorithm') ?? 'MD5';
    const qop = p.get('qop');
    const nc = p.get('nc') ?? '';
    if (algorithm !== 'MD5' || (qop !== undefined && qop !== 'auth') || p.get('uri') !== req.url) {
      return this.fail();
    }
    const expected = digestResponse({
      algorithm: 'MD5',
      username: p.get('username') ?? '',
      realm: this.o.realm,
      password: this.o.password,
      method: req.method ?? 'GET',
      uri: p.get('uri') ?? '',
      nonce,
      ...(qop ? { qop: 'auth' as const, nc, cnonce: p.get('cnonce') ?? '' } : {}),
    });
    const given = Buffer.from(p.get('response') ?? '');
    const right =
      p.get('username') === this.o.username &&
      given.length === expected.length &&
      timingSafeEqual(given, Buffer.from(expected));
    if (!right) return this.fail();
    if (!known || now - known.issued > this.o.nonceTtlMs) {
      if (known) this.nonces.delete(nonce);
      this.staleAnswers++;
      return this.refuse('stale', true);
    }
    if (qop) {
      const n = parseInt(nc, 16);
      if (!/^[0-9a-f]{8}$/i.test(nc) || n <= known.lastNc) return this.fail();
      known.lastNc = n;
    }
    this.failures = 0;
    return { ok: true, username: this.o.username };
  }

  /** Ages every issued nonce past its lifetime (a test hook: the next answer to each is stale). */
  expireAll(): void {
    for (const n of this.nonces.values()) n.issued = 0;
  }

  private fail(): DigestVerdict {
    this.failures++;
    if (this.o.lockAfter > 0 && this.failures >= this.o.lockAfter) {
      this.lockedUntil = Date.now() + this.o.lockMs;
      this.failures = 0;
      return this.refuse('locked', false);
    }
    return this.refuse('bad', false);
  }

  private refuse(reason: 'missing' | 'stale' | 'bad' | 'locked', stale: boolean): DigestVerdict {
    const nonce = randomBytes(16).toString('hex');
    this.nonces.set(nonce, { issued: Date.now(), lastNc: 0 });
    // Bounded: a client that never answers cannot grow the table without limit.
    if (this.nonces.size > 256) this.nonces.delete(this.nonces.keys().next().value!);
    const challenge =
      `Digest realm="${this.o.realm}", qop="auth", nonce="${nonce}", opaque="${this.opaque}", ` +
      `algorithm=MD5, stale=${stale ? 'TRUE' : 'FALSE'}`;
    return { ok: false, challenge, locked: reason === 'locked', reason };
  }
}
