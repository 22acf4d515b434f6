import { describe, expect, it } from 'vitest';
import { DigestSession, digestResponse, parseAuthParams, parseChallenge } from '../../src/gate/digest.js';

describe('HTTP Digest (RFC 7616 / 2617)', () => {
  it('matches the RFC 2617 §3.5 example', () => {
    expect(
      digestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('matches the RFC 7616 §3.9.1 examples (MD5 and SHA-256)', () => {
    const common = {
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      qop: 'auth' as const,
      nc: '00000001',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    expect(digestResponse({ ...common, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...common, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
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
