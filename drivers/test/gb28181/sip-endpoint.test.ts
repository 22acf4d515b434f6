import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { responseTo, SipEndpoint } from '../../src/gb28181/sip-endpoint.js';
import { decodeSip, encodeSip, type SipRequest } from '../../src/gb28181/sip-message.js';
import { UdpTransport } from '../../src/gb28181/sip-transport.js';
import { until } from './until.js';

const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

const request = (method: string, callId: string, branch: string): SipRequest => ({
  kind: 'request',
  method,
  uri: 'sip:34130200001320000001@127.0.0.1',
  headers: [
    ['Via', `SIP/2.0/UDP 127.0.0.1:9;rport;branch=${branch}`],
    ['From', '<sip:34020000002000000001@3402000000>;tag=p1'],
    ['To', '<sip:34130200001320000001@3402000000>'],
    ['Call-ID', callId],
    ['CSeq', `1 ${method}`],
  ],
  body: Buffer.alloc(0),
});

describe('SIP endpoint over UDP', () => {
  it('retransmits a 200 to INVITE until the ACK, and answers a retransmitted INVITE once', async () => {
    const transport = await UdpTransport.open('127.0.0.1', 0);
    const ep = new SipEndpoint(transport, { t1Ms: 30, t2Ms: 120 });
    stops.push(() => transport.close());
    let handled = 0;
    ep.onRequest((req) => (req.method === 'INVITE' ? (handled++, responseTo(req, 200, 'OK')) : null));
    const platform = createSocket('udp4');
    await new Promise<void>((r) => platform.bind(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => platform.close(() => r())));
    const oks: number[] = [];
    platform.on('message', (d) => {
      const r = decodeSip(d, { framing: 'datagram' });
      if (r.ok && r.value.kind === 'response') oks.push(r.value.status);
    });
    const send = (m: SipRequest) => platform.send(encodeSip(m), transport.local().port, '127.0.0.1');
    send(request('INVITE', 'call-1', 'z9hG4bKinv1'));
    await until(() => oks.length >= 3, 'the 200 retransmitted while no ACK comes');
    const before = oks.length;
    send(request('INVITE', 'call-1', 'z9hG4bKinv1'));
    await until(() => oks.length > before, 'the stored 200 for the retransmitted INVITE');
    expect(handled).toBe(1);
    expect(ep.retransmitting()).toBe(1);
    send(request('ACK', 'call-1', 'z9hG4bKack1'));
    await until(() => ep.retransmitting() === 0, 'retransmission stopped by the ACK');
    expect(oks.every((s) => s === 200)).toBe(true);
  });
});
