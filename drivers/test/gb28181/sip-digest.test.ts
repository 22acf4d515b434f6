import { describe, expect, it } from 'vitest';
import { SipDigestVerifier, sipAuthorization, sipChallenge } from '../../src/gb28181/sip-digest.js';
import { decodeSip, type SipRequest } from '../../src/gb28181/sip-message.js';
import { RFC2617_EXAMPLE } from '../gate/digest-vectors.js';
import { REGISTER_NO_AUTH, UNAUTHORIZED } from './golden.js';

const decode = (s: string) => {
  const r = decodeSip(Buffer.from(s), { framing: 'datagram' });
  if (!r.ok) throw new Error('bad golden');
  return r.value;
};

describe('SIP digest', () => {
  it('answers with the RFC 2617 §3.5 example response, and the qop, nc and cnonce it was computed with', () => {
    const { input, opaque, response } = RFC2617_EXAMPLE;
    const header = sipAuthorization({
      challenge: { realm: input.realm, nonce: input.nonce, opaque, algorithm: 'MD5', qop: ['auth'], stale: false },
      ...{ username: input.username, password: input.password, method: input.method, uri: input.uri },
      ...{ nc: 1, cnonce: input.cnonce },
    });
    expect(header).toContain(`response="${response}"`);
    expect(header).toContain(`qop=auth, nc=${input.nc}, cnonce="${input.cnonce}"`);
    expect(header).toContain(`opaque="${opaque}"`);
  });

  it('answers a platform challenge without qop, with a digest username that differs from the From user', () => {
    const c = sipChallenge(decode(UNAUTHORIZED))!;
    expect(c.challenge).toMatchObject({ realm: '3402000000', nonce: '44010b73623249f6916a6acf7c316b8e', qop: [] });
    const verifier = new SipDigestVerifier('3402000000', (u) => (u === 'district-account' ? 'S3cret!' : undefined));
    const challenge = verifier.challenge();
    const reg = decode(REGISTER_NO_AUTH) as SipRequest;
    for (const [password, ok] of [
      ['wrong', false],
      ['S3cret!', true],
    ] as const) {
      const authorization = sipAuthorization({
        challenge: sipChallenge({
          ...reg,
          kind: 'response',
          status: 401,
          reason: '',
          headers: [['WWW-Authenticate', challenge]],
        } as never)!.challenge,
        username: 'district-account',
        password,
        method: 'REGISTER',
        uri: reg.uri,
        nc: 1,
      });
      const verdict = verifier.check({ ...reg, headers: [...reg.headers, ['Authorization', authorization]] });
      expect(verdict.ok).toBe(ok);
      if (verdict.ok) expect(verdict.username).toBe('district-account');
    }
  });

  it('refuses a nonce it never issued as stale', () => {
    const verifier = new SipDigestVerifier('3402000000', () => 'pw', { qop: false, nonceTtlMs: 60_000 });
    const reg = decode(REGISTER_NO_AUTH) as SipRequest;
    const authorization = sipAuthorization({
      challenge: { realm: '3402000000', nonce: 'made-up', algorithm: 'MD5', qop: [], stale: false },
      username: '34020000001320000001',
      password: 'pw',
      method: 'REGISTER',
      uri: reg.uri,
      nc: 1,
    });
    const v = verifier.check({ ...reg, headers: [...reg.headers, ['Authorization', authorization]] });
    expect(v.ok === false && v.reason).toBe('stale');
  });
});
