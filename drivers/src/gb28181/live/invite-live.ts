import { newBranch, newCallId, newTag, type SipEndpoint } from '../sip-endpoint.js';
import type { SipPeer } from '../sip-transport.js';
import { parseNameAddr, parseSipUri } from '../sip-headers.js';
import { header, type SipRequest } from '../sip-message.js';
import { LiveReceiver, openMediaSocket } from './live-receiver.js';
import { offerSdp } from './sdp.js';

let ssrcSerial = 1;

/** Whatever can route a request to a registered device: the gateway's device listener, or the platform simulator. */
export interface LiveRouter {
  route(
    deviceId: string,
  ): { device: { contact: string; peer: SipPeer }; endpoint: SipEndpoint; id: string; domain: string } | null;
  /** Tells about the other side's BYE for a call we placed (both the simulator and the gateway's listener have it). */
  watchCall?(callId: string, onBye: () => void): () => void;
}

/**
 * Live view (实时视音频点播, GB/T 28181 §9.2) from the upper side: the
 * receiving socket, INVITE with its SDP, ACK; BYE through the receiver. A
 * refusal resolves with its status and no receiver.
 */
export async function inviteLive(
  router: LiveRouter,
  deviceId: string,
  channelId: string,
  transport: 'UDP' | 'TCP',
): Promise<{ status: number; receiver: LiveReceiver | null }> {
  const route = router.route(deviceId);
  if (!route) throw new Error(`${deviceId} is not registered`);
  const { device, endpoint: ep } = route;
  const local = ep.transport.local();
  // SSRC as GB/T 28181 Appendix H builds it: 0 (live) + 5 digits of the domain + a 4-digit serial.
  const ssrc = Number(`0${route.domain.slice(3, 8)}${String(ssrcSerial++ % 10_000).padStart(4, '0')}`);
  const receiverRef: { r: LiveReceiver | null } = { r: null };
  const media = await openMediaSocket(transport, local.host, (packet) => receiverRef.r?.take(packet));
  const contact = parseSipUri(device.contact);
  const target = `sip:${channelId}@${contact?.host ?? device.peer.host}:${contact?.port ?? device.peer.port}`;
  const callId = newCallId('platform');
  const fromTag = newTag();
  const base = (method: string, cseq: number, toTag?: string): SipRequest => ({
    kind: 'request',
    method,
    uri: target,
    headers: [
      ['Via', `SIP/2.0/${device.peer.transport} ${local.host}:${local.port};rport;branch=${newBranch()}`],
      ['From', `<sip:${route.id}@${route.domain}>;tag=${fromTag}`],
      ['To', `<sip:${channelId}@${route.domain}>${toTag ? `;tag=${toTag}` : ''}`],
      ['Call-ID', callId],
      ['CSeq', `${cseq} ${method}`],
      ['Max-Forwards', '70'],
      ['Contact', `<sip:${route.id}@${local.host}:${local.port}>`],
    ],
    body: Buffer.alloc(0),
  });
  const invite = base('INVITE', 1);
  invite.headers.push(['Subject', `${channelId}:${String(ssrc).padStart(10, '0')},${route.id}:0`]);
  invite.headers.push(['Content-Type', 'APPLICATION/SDP']);
  invite.body = Buffer.from(offerSdp({ id: route.id, address: local.host, port: media.port, transport, ssrc }));
  const r = await ep.request(invite, device.peer);
  if (r.status !== 200) {
    await media.close();
    return { status: r.status, receiver: null };
  }
  const toTag = parseNameAddr(header(r, 'To') ?? '')?.params.get('tag');
  ep.transport.send(base('ACK', 1, toTag), device.peer);
  let unwatch = () => undefined as void;
  const receiver = new LiveReceiver(
    ssrc,
    async () => {
      unwatch();
      await media.close();
    },
    async () => {
      unwatch();
      // To where the device is registered now: one that registered again since (its keepalives went
      // unanswered, its NAT mapping changed) answers from a new port, and the old one reaches nobody.
      const now = router.route(deviceId) ?? route;
      return (await now.endpoint.request(base('BYE', 2, toTag), now.device.peer)).status;
    },
  );
  unwatch = router.watchCall?.(callId, () => receiver.remoteBye()) ?? unwatch;
  receiverRef.r = receiver;
  return { status: 200, receiver };
}
