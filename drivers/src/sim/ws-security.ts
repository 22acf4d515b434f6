import { createHash, timingSafeEqual } from 'node:crypto';

/** How far a UsernameToken's Created may be from the device clock (replay protection). */
const MAX_SKEW_MS = 5 * 60_000;

export type TokenCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verifies a WS-Security UsernameToken with PasswordDigest, as an ONVIF device
 * does: Digest = Base64(SHA-1(nonce + created + password)), nonce Base64-decoded.
 */
export function verifyUsernameToken(xml: string, username: string, password: string, now = Date.now()): TokenCheck {
  const field = (name: string) => new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1];
  const user = field('Username');
  const digest = field('Password');
  const nonce = field('Nonce');
  const created = field('Created');
  if (user === undefined || digest === undefined || nonce === undefined || created === undefined)
    return { ok: false, reason: 'no UsernameToken' };
  if (!/PasswordDigest/.test(/<(?:\w+:)?Password\b([^>]*)>/.exec(xml)?.[1] ?? ''))
    return { ok: false, reason: 'only PasswordDigest is accepted' };
  const createdAt = Date.parse(created);
  if (!Number.isFinite(createdAt) || Math.abs(createdAt - now) > MAX_SKEW_MS)
    return { ok: false, reason: 'Created is missing or too far from the device clock' };
  const expected = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest();
  const given = Buffer.from(digest, 'base64');
  if (user !== username || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'wrong username or password' };
  return { ok: true };
}
