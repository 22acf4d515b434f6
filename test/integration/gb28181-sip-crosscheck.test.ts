import { gb28181, GbPlatformSimulator } from '@linli/drivers';
import fc from 'fast-check';
import * as sip from 'sip';
import * as digest from 'sip/digest.js';
import { describe, expect, it } from 'vitest';
import { until } from '../helpers/processes.js';
import { freeUdpPort, stopsAfterEach } from '../helpers/sipp.js';

/**
 * Our SIP against an independent implementation: the npm `sip` package
 * (kirm/sip.js), a JavaScript SIP stack with its own parser, transaction
 * layer and RFC 2617 digest. It parses what we send, we parse what it sends,
 * its registrar challenges our REGISTER, and its client registers to our
 * platform simulator.
 */
const PLATFORM = '34130000002000000001';
const GW = '34130200002000000001';
const stops = stopsAfterEach();

const party = {
  id: GW,
  domain: '3413020000',
  peerId: PLATFORM,
  peerDomain: '3413000000',
  transport: 'UDP' as const,
  contactHost: '10.1.2.3',
  contactPort: 5060,
  fromTag: 'a1b2c3',
};

describe('cross-check with the npm sip stack', () => {
  it('parses our REGISTER and our GB2312 MESSAGE the way we wrote them', () => {
    const reg = gb28181.encodeSip(gb28181.registerRequest(party, { cseq: 7, callId: 'abc@10.1.2.3', expiresS: 3600 }));
    const theirs = sip.parse(reg.toString('latin1'))!;
    expect(theirs.method).toBe('REGISTER');
    expect(theirs.headers.cseq).toEqual({ seq: 7, method: 'REGISTER' });
    expect(theirs.headers['call-id']).toBe('abc@10.1.2.3');
    expect(theirs.headers.via[0]).toMatchObject({ protocol: 'UDP', host: '10.1.2.3', port: 5060 });
    expect(theirs.headers.from.params.tag).toBe('a1b2c3');
    expect(theirs.headers.contact[0].uri).toBe(`sip:${GW}@10.1.2.3:5060`);
    const alarm = gb28181.alarmXml(
      3,
      { deviceId: '34130200001320000001', priority: 1, method: 7, time: new Date(), description: '电梯困人' },
      'GB2312',
    );
    const msg = gb28181.encodeSip(
      gb28181.messageRequest(party, { cseq: 8, callId: 'x@y', xml: alarm, charset: 'GB2312' }),
    );
    const parsed = sip.parse(msg.toString('latin1'))!;
    expect(+parsed.headers['content-length']).toBe(Buffer.byteLength(parsed.content!, 'latin1'));
    const body = gb28181.parseManscdp(Buffer.from(parsed.content!, 'latin1'), parsed.headers['content-type']?.media);
    expect(body.ok && gb28181.text0(body.value.body.AlarmDescription)).toBe('电梯困人');
  });

  it('reads whatever their stringify writes', () => {
    const token = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(
        token,
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.string({ maxLength: 200 }),
        (tag, seq, content) => {
          const text = sip.stringify({
            method: 'MESSAGE',
            uri: `sip:${PLATFORM}@3413000000`,
            headers: {
              via: [
                { version: '2.0', protocol: 'TCP', host: '127.0.0.1', port: 5060, params: { branch: `z9hG4bK${tag}` } },
              ],
              to: { uri: `sip:${PLATFORM}@3413000000`, params: {} },
              from: { name: '网关', uri: `sip:${GW}@3413020000`, params: { tag } },
              'call-id': `${tag}@127.0.0.1`,
              cseq: { method: 'MESSAGE', seq },
              'content-type': 'Application/MANSCDP+xml',
            },
            content,
          });
          const r = gb28181.decodeSip(Buffer.from(text, 'utf8'), { framing: 'stream' });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.consumed).toBe(Buffer.byteLength(text));
          expect(r.value.body.toString('utf8')).toBe(content);
          expect(gb28181.parseCSeq(gb28181.header(r.value, 'CSeq')!)).toEqual({ seq, method: 'MESSAGE' });
          expect(gb28181.parseVia(gb28181.headerList(r.value, 'Via')[0]!)!.params.get('branch')).toBe(`z9hG4bK${tag}`);
          expect(gb28181.parseNameAddr(gb28181.header(r.value, 'From')!)).toMatchObject({ display: '网关' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('our lower side registers and keeps alive against their registrar, which checks our digest', async () => {
    const port = await freeUdpPort();
    const keepalives: string[] = [];
    let refused = 0;
    const contexts = new Map<string, Record<string, unknown>>();
    const stack = sip.create({ port, address: '127.0.0.1', tcp: false }, (rq) => {
      if (rq.method === 'REGISTER') {
        const callId = rq.headers['call-id'] as string;
        const ctx = contexts.get(callId) ?? { realm: '3413000000' };
        contexts.set(callId, ctx);
        if (!digest.authenticateRequest(ctx, rq, { user: GW, password: 'Their-pw-1' })) {
          if (rq.headers.authorization) refused++;
          contexts.set(callId, { realm: '3413000000' });
          stack.send(digest.challenge(contexts.get(callId)!, sip.makeResponse(rq, 401, 'Unauthorized')));
          return;
        }
        stack.send(sip.makeResponse(rq, 200, 'OK', { headers: { expires: 3600, contact: rq.headers.contact } }));
      } else if (rq.method === 'MESSAGE') {
        keepalives.push(rq.content ?? '');
        stack.send(sip.makeResponse(rq, 200, 'OK'));
      }
    });
    stops.push(() => stack.destroy());
    let password = 'wrong';
    const agent = new gb28181.LowerAgent({
      ...{ deviceId: GW, serverId: PLATFORM, serverDomain: '3413000000', serverHost: '127.0.0.1', serverPort: port },
      ...{ transport: 'UDP', password: () => password, expiresS: 3600, keepaliveS: 0.1, keepaliveMisses: 3 },
      ...{
        charset: 'UTF-8',
        bindHost: '127.0.0.1',
        timers: { t1Ms: 50, t2Ms: 400 },
        backoffMaxMs: 200,
        answer: () => [],
      },
    });
    agent.start();
    stops.push(() => agent.stop());
    await until(() => agent.status().lastError?.includes('wrong password'), 'their registrar refusing a wrong digest');
    expect(refused).toBeGreaterThan(0);
    password = 'Their-pw-1';
    await until(() => agent.status().state === 'registered', 'registration with their registrar');
    await until(() => keepalives.length >= 2, 'keepalives parsed by their stack');
    expect(gb28181.parseManscdp(keepalives[0]!)).toMatchObject({
      ok: true,
      value: { cmdType: 'Keepalive', deviceId: GW },
    });
  });

  it('their client registers to our platform simulator after its digest challenge', async () => {
    const platform = new GbPlatformSimulator({
      id: PLATFORM,
      domain: '3413000000',
      password: 'Our-pw-2',
      keepaliveTimeoutMs: 60_000,
    });
    await platform.start();
    stops.push(() => platform.stop());
    const port = await freeUdpPort();
    const stack = sip.create(
      // Its own name must differ from the platform's host, or it takes the request for itself; our replies go
      // to the source address (rport behaviour), so the made-up name in its Via does not matter.
      { port, address: '127.0.0.1', publicAddress: 'their-client.invalid', tcp: false },
      () => undefined,
    );
    stops.push(() => stack.destroy());
    const register = () => ({
      method: 'REGISTER',
      uri: `sip:${PLATFORM}@127.0.0.1:${platform.port}`,
      headers: {
        to: { uri: `sip:34130200001180000001@3413020000`, params: {} },
        from: { uri: `sip:34130200001180000001@3413020000`, params: { tag: 'theirs1' } },
        'call-id': 'their-call@127.0.0.1',
        cseq: { method: 'REGISTER', seq: 1 },
        contact: [{ uri: `sip:34130200001180000001@127.0.0.1:${port}` }],
        expires: 600,
      },
    });
    const send = (rq: sip.SipJsMessage) =>
      new Promise<sip.SipJsMessage>((resolve) => stack.send(rq, (rs) => (rs.status! >= 200 ? resolve(rs) : undefined)));
    const first = register();
    const challenge = await send(first);
    expect(challenge.status).toBe(401);
    const second = register();
    second.headers.cseq.seq = 2;
    digest.signRequest({}, second, challenge, { user: '34130200001180000001', password: 'Our-pw-2' });
    const ok = await send(second);
    expect(ok.status).toBe(200);
    expect(platform.devices.get('34130200001180000001')).toMatchObject({ online: true, peer: { port } });
  });
});
