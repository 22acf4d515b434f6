import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type DigestChallenge, digestResponse, parseAuthParams, parseChallenge } from '../gate/digest.js';
import { header, type SipMessage } from './sip-message.js';

/**
 * Digest authentication for SIP (RFC 3261 §22 uses RFC 2617's scheme): MD5,
 * with or without qop=auth, realm = the upper platform's SIP domain. The
 * computation is the HTTP one in gate/digest.ts, shared so the two cannot
 * drift. The digest username is the device id by default but may differ from
 * the From user (some platforms give a separate account).
 */

/** The challenge in a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), or null. */
export function sipChallenge(m: SipMessage): { challenge: DigestChallenge; proxy: boolean } | null {
  const www = m.headers.filter(([n]) => n === 'WWW-Authenticate').map(([, v]) => v);
  const proxy = m.headers.filter(([n]) => n === 'Proxy-Authenticate').map(([, v]) => v);
  const c = parseChallenge(www) ?? parseChallenge(proxy);
  if (!c) return null;
  return { challenge: c, proxy: parseChallenge(www) === null };
}

export interface AuthorizeInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  uri: string;
  /** Nonce count for this nonce, from 1. */
  nc: number;
  cnonce?: string;
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** The Authorization header value answering `challenge`. */
export function sipAuthorization(i: AuthorizeInput): string {
  const c = i.challenge;
  const useQop = c.qop.includes('auth');
  const nc = i.nc.toString(16).padStart(8, '0');
  const cnonce = i.cnonce ?? randomBytes(8).toString('hex');
  const response = digestResponse({
    algorithm: c.algorithm,
    username: i.username,
    realm: c.realm,
    password: i.password,
    method: i.method,
    uri: i.uri,
    nonce: c.nonce,
    ...(useQop ? { qop: 'auth' as const, nc, cnonce } : {}),
  });
  const parts = [
    `username=${quote(i.username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(i.uri)}`,
    `response=${quote(response)}`,
    `algorithm=${c.algorithm}`,
  ];
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

export type SipAuthVerdict =
  { ok: true; username: string } | { ok: false; reason: 'missing' | 'stale' | 'bad'; challenge: string };

/**
 * The platform half: issues nonces for `realm` and checks REGISTERs against
 * one password per username. Used by the upper-platform simulator and, later,
 * by the gateway acting as the compound's platform.
 */
export class SipDigestVerifier {
  private readonly nonces = new Map<string, number>();

  constructor(
    private readonly realm: string,
    private readonly passwordOf: (username: string) => string | undefined,
    private readonly o: { qop: boolean; nonceTtlMs: number } = { qop: true, nonceTtlMs: 300_000 },
  ) {}

  check(req: SipMessage & { kind: 'request' }): SipAuthVerdict {
    const auth = header(req, 'Authorization');
    const m = auth ? /^\s*Digest\s+(.*)$/is.exec(auth) : null;
    if (!m) return { ok: false, reason: 'missing', challenge: this.challenge() };
    const p = parseAuthParams(m[1]!);
    const nonce = p.get('nonce') ?? '';
    const username = p.get('username') ?? '';
    const password = this.passwordOf(username);
    const qop = p.get('qop');
    if (password === undefined || p.get('realm') !== this.realm || (qop !== undefined && qop !== 'auth'))
      return { ok: false, reason: 'bad', challenge: this.challenge() };
    const expected = digestResponse({
      algorithm: 'MD5',
      username,
      realm: this.realm,
      password,
      method: req.method,
      uri: p.get('uri') ?? '',
      nonce,
      ...(qop ? { qop: 'auth' as const, nc: p.get('nc') ?? '', cnonce: p.get('cnonce') ?? '' } : {}),
    });
    const given = Buffer.from(p.get('response') ?? '');
    const right = given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
    if (!right) return { ok: false, reason: 'bad', challenge: this.challenge() };
    const issued = this.nonces.get(nonce);
    if (issued === undefined || Date.now() - issued > this.o.nonceTtlMs)
      return { ok: false, reason: 'stale', challenge: this.challenge(true) };
    return { ok: true, username };
  }

  /** A fresh WWW-Authenticate value. */
  challenge(stale = false): string {
    const nonce = randomBytes(16).toString('hex');
    const now = Date.now();
    this.nonces.set(nonce, now);
    for (const [n, t] of this.nonces) if (now - t > this.o.nonceTtlMs * 2) this.nonces.delete(n);
    const qop = this.o.qop ? ', qop="auth"' : '';
    return `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5${qop}${stale ? ', stale=true' : ''}`;
  }
}
