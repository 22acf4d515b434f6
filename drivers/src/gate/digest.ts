import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest authentication (RFC 7616, and RFC 2617 it replaces), the scheme
 * ISAPI terminals require. MD5 with qop=auth is what terminals in the field
 * offer; SHA-256 is accepted because RFC 7616 prefers it. Both sides live
 * here: the driver's client and the simulator's check, so the two cannot
 * drift apart silently, and tests cross-check each against curl.
 */

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
const ALGORITHMS = new Set<string>(['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess']);

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** Only `auth` is used; `auth-int` alone is refused (no terminal needs it). */
  qop: string[];
  stale: boolean;
}

/** Parses `key=value, key="quoted \" value"` auth-params (RFC 7235 §2.1). */
export function parseAuthParams(s: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0] === '') break;
    out.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  return out;
}

/**
 * The Digest challenge among a response's WWW-Authenticate headers, or null.
 * Each header is given separately (rawHeaders), since a Basic and a Digest
 * challenge joined with a comma cannot be told apart reliably.
 */
export function parseChallenge(headers: readonly string[]): DigestChallenge | null {
  for (const h of headers) {
    const m = /^\s*Digest\s+(.*)$/is.exec(h);
    if (!m) continue;
    const p = parseAuthParams(m[1]!);
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const algorithm = p.get('algorithm') ?? 'MD5';
    if (realm === undefined || !nonce || !ALGORITHMS.has(algorithm)) continue;
    const qop = (p.get('qop') ?? '')
      .split(',')
      .map((q) => q.trim())
      .filter(Boolean);
    if (qop.length && !qop.includes('auth')) continue;
    const opaque = p.get('opaque');
    return {
      realm,
      nonce,
      ...(opaque !== undefined ? { opaque } : {}),
      algorithm: algorithm as DigestAlgorithm,
      qop,
      stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    };
  }
  return null;
}

function hash(alg: DigestAlgorithm, s: string): string {
  return createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(s, 'utf8')
    .digest('hex');
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** Absent for the RFC 2069 form (no qop offered). */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/** The `response` value: KD(H(A1), nonce:nc:cnonce:qop:H(A2)) per RFC 7616 §3.4.1. */
export function digestResponse(i: DigestInput): string {
  let ha1 = hash(i.algorithm, `${i.username}:${i.realm}:${i.password}`);
  if (i.algorithm.endsWith('-sess')) ha1 = hash(i.algorithm, `${ha1}:${i.nonce}:${i.cnonce ?? ''}`);
  const ha2 = hash(i.algorithm, `${i.method}:${i.uri}`);
  return i.qop
    ? hash(i.algorithm, `${ha1}:${i.nonce}:${i.nc}:${i.cnonce}:${i.qop}:${ha2}`)
    : hash(i.algorithm, `${ha1}:${i.nonce}:${ha2}`);
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/**
 * One client's digest state for one server: the last challenge and its nonce
 * count, so that requests after the first reuse the nonce (one round trip)
 * until the server says it is stale.
 */
export class DigestSession {
  private challenge: DigestChallenge | null = null;
  private nc = 0;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** Adopts a new challenge (after a 401); the nonce count restarts. */
  accept(challenge: DigestChallenge): void {
    this.challenge = challenge;
    this.nc = 0;
  }

  hasChallenge(): boolean {
    return this.challenge !== null;
  }

  /** The Authorization header for one request, or null before any challenge. */
  authorize(method: string, uri: string): string | null {
    const c = this.challenge;
    if (!c) return null;
    const useQop = c.qop.includes('auth');
    const nc = (++this.nc).toString(16).padStart(8, '0');
    const cnonce = randomBytes(12).toString('hex');
    const response = digestResponse({
      algorithm: c.algorithm,
      username: this.username,
      realm: c.realm,
      password: this.password,
      method,
      uri,
      nonce: c.nonce,
      ...(useQop ? { qop: 'auth' as const, nc, cnonce } : {}),
    });
    const parts = [
      `username=${quote(this.username)}`,
      `realm=${quote(c.realm)}`,
      `nonce=${quote(c.nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${c.algorithm}`,
      `response=${quote(response)}`,
    ];
    if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
    if (useQop) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    return `Digest ${parts.join(', ')}`;
  }
}
