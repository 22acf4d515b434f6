// Slow tier (npm test only, not npm run test:fast): about sixty scrypt password checks over two hubs (~25 s on a busy machine). See CONTRIBUTING.md, "Test tiers".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../../../test/helpers/hub-fixture.js';
import { TrustedProxies, TrustedProxyError } from '../../src/http/client-ip.js';
import { DIALECTS } from '../support/dialects.js';
import { databaseFor, dropSchema, type TestHub } from './insider-hub.js';

/** What the address throttle allows per client in its window (auth/ip-throttle.ts). */
const PER_CLIENT = 30;

/** A failed login "from" `client`, as a balancer in front of the hub would pass it on. */
async function failFrom(h: TestHub, client: string | null, i: number) {
  const res = await fetch(`${h.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client ? { 'x-forwarded-for': client } : {}) },
    // A different unknown name each time: the per-name lock must not be what answers.
    body: JSON.stringify({ username: `sprayed.${i}`, password: 'Wrong-pass-1' }),
  });
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

/**
 * Issue 17, item 6: behind the shipped HAProxy every client shared the
 * balancer's address, so 30 bad logins from anyone locked everyone out. The hub
 * now believes X-Forwarded-For from the proxies it is told to trust, and only
 * from them. The test's requests come from 127.0.0.1: once that is the trusted
 * balancer, once an untrusted peer.
 */
for (const dialect of DIALECTS) {
  describe(`insider: login throttling counts each real client behind a trusted proxy [${dialect}]`, () => {
    const database = databaseFor(dialect);
    let h: TestHub;
    beforeAll(async () => {
      h = await startTestHub({ hub: { trustedProxies: ['127.0.0.1'] }, ...(database ? { database } : {}) });
    }, 60_000);
    afterAll(async () => {
      await h.stop();
      await dropSchema(database);
    }, 60_000);

    it('blocks the sprayer behind the balancer and leaves its neighbour alone', async () => {
      for (let i = 0; i < PER_CLIENT; i++) expect((await failFrom(h, '203.0.113.7', i)).code).toBe('BAD_CREDENTIALS');
      expect(await failFrom(h, '203.0.113.7', 99)).toEqual({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
      // A client that spoofs its own header in front of the balancer is still counted by what the balancer saw.
      expect(await failFrom(h, '198.51.100.1, 203.0.113.7', 100)).toEqual({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
      expect(await failFrom(h, '203.0.113.8', 101)).toEqual({ status: 401, code: 'BAD_CREDENTIALS' });
    }, 180_000); // 30+ scrypt runs on a busy machine
  });
}

describe('insider: X-Forwarded-For from an untrusted peer is ignored', () => {
  let h: TestHub;
  beforeAll(async () => {
    // Trusts some other balancer, not the test's 127.0.0.1.
    h = await startTestHub({ hub: { trustedProxies: ['10.9.9.9', 'fd00::/8'] } });
  }, 60_000);
  afterAll(() => h.stop(), 60_000);

  it('counts a peer that rotates its own X-Forwarded-For as the one client it is', async () => {
    for (let i = 0; i < PER_CLIENT; i++) await failFrom(h, `203.0.113.${i + 1}`, i);
    expect(await failFrom(h, '203.0.113.200', 99)).toEqual({ status: 429, code: 'TOO_MANY_ATTEMPTS' });
  }, 180_000);
});

describe('TrustedProxies', () => {
  const req = (peer: string, xff?: string) =>
    ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as never;

  it('walks the header from the right past trusted hops, and trusts nothing by default', () => {
    const p = new TrustedProxies(['10.0.0.0/8', '2001:db8::1']);
    expect(p.clientIp(req('::ffff:10.0.0.5', '198.51.100.1, 203.0.113.9, 10.1.1.1'))).toBe('203.0.113.9');
    expect(p.clientIp(req('2001:db8::1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(p.clientIp(req('10.0.0.5'))).toBe('10.0.0.5');
    expect(p.clientIp(req('10.0.0.5', 'garbage, 10.2.2.2'))).toBe('10.2.2.2');
    expect(p.clientIp(req('192.0.2.1', '203.0.113.9'))).toBe('192.0.2.1');
    expect(new TrustedProxies([]).clientIp(req('10.0.0.5', '203.0.113.9'))).toBe('10.0.0.5');
  });

  it('refuses an entry that is not an address or block, with a code', () => {
    for (const bad of ['balancer', '10.0.0.0/33', '10.0.0.1/8/2', '::1/129'])
      expect(() => new TrustedProxies([bad])).toThrow(TrustedProxyError);
    expect(() => new TrustedProxies(['nope'])).toThrow(expect.objectContaining({ code: 'TRUSTED_PROXY_INVALID' }));
  });
});
