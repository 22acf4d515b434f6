import { describe, expect, it } from 'vitest';
import { DigestSession, digestResponse, parseAuthParams, parseChallenge } from '../../src/gate/digest.js';
import { RFC2617_EXAMPLE, RFC7616_EXAMPLE } from './digest-vectors.js';

describe('HTTP Digest (RFC 7616 / 2617)', () => {
  it('matches the RFC 2617 §3.5 example', () => {
    expect(digestResponse(RFC2617_EXAMPLE.input)).toBe(RFC2617_EXAMPLE.response);
  });

  it('matches the RFC 7616 §3.9.1 examples (MD5 and SHA-256)', () => {
    const { input, md5, sha256 } = RFC7616_EXAMPLE;
    expect(digestResponse({ ...input, algorithm: 'MD5' })).toBe(md5);
    expect(digestResponse({ ...input, algorithm: 'SHA-256' })).toBe(sha256);
  });

  it('parses challenges with quoted commas and escapes, and picks Digest among several', () => {
    const p = parseAuthParams('realm="a, \\"b\\"", qop="auth,auth-int", stale=TRUE, nonce=abc');
    expect(p.get('realm')).toBe('a, "b"');
    expect(p.get('stale')).toBe('TRUE');
    const c = parseChallenge(['Basic realm="x"', 'Digest realm="r", nonce="n1", qop="auth", stale=true'])!;
    expect(c).toMatchObject({ realm: 'r', nonce: 'n1', algorithm: 'MD5', qop: ['auth'], stale: true });
    expect(parseChallenge(['Digest realm="r", nonce="n", qop="auth-int"'])).toBeNull();
    expect(parseChallenge(['Digest realm="r", nonce="n", algorithm=SHA-512'])).toBeNull();
  });

  it('counts nonces up with each request and restarts on a new challenge', () => {
    const s = new DigestSession('admin', 'pw');
    expect(s.authorize('GET', '/x')).toBeNull();
    s.accept({ realm: 'r', nonce: 'n', algorithm: 'MD5', qop: ['auth'], stale: false });
    expect(s.authorize('GET', '/x')).toContain('nc=00000001');
    expect(s.authorize('GET', '/x')).toContain('nc=00000002');
    s.accept({ realm: 'r', nonce: 'n2', algorithm: 'MD5', qop: ['auth'], stale: true });
    expect(s.authorize('GET', '/x')).toContain('nc=00000001');
  });
});
