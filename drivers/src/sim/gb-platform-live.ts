import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { newBranch, newCallId, newTag, type SipEndpoint } from '../gb28181/sip-endpoint.js';
import type { SipPeer } from '../gb28181/sip-transport.js';
import { parseNameAddr, parseSipUri } from '../gb28181/sip-headers.js';
import { header, type SipRequest } from '../gb28181/sip-message.js';
import { rtpPayload } from '../gb28181/live/ps-rtp.js';
import { offerSdp } from '../gb28181/live/sdp.js';

/**
 * The upper platform's side of a live view: a receiving socket (UDP, or a TCP
 * listener for a=setup:passive), INVITE with its SDP, ACK, the RTP collected
 * and reassembled into the PS byte stream, BYE.
 */
export class LiveReceiver {
  private readonly packets = new Map<number, Buffer>();
  /** The SSRC of every packet received (must all be the one offered). */
  readonly ssrcs = new Set<number>();
  received = 0;
  /** Called with each RTP payload (PS bytes) as it arrives: a snapshot feeds them to ffmpeg. */
  onPayload: ((ps: Buffer) => void) | null = null;
  /** Called with each whole RTP packet as it arrives: the gateway relays a camera's stream to its upper platform. */
  onPacket: ((packet: Buffer) => void) | null = null;
  /** Called when the other side ended the call with its own BYE (its stream stopped). */
  onRemoteBye: (() => void) | null = null;
  /** Whether the other side sent BYE. */
  byeReceived = false;
  private closing: Promise<void> | null = null;

  constructor(
    readonly ssrc: number,
    private readonly close: () => Promise<void>,
    private readonly byeFn: () => Promise<number>,
  ) {}

  /** The other side's BYE: the media socket closes and the owner is told. */
  remoteBye(): void {
    this.byeReceived = true;
    void this.stop();
    this.onRemoteBye?.();
  }

  take(packet: Buffer): void {
    const p = rtpPayload(packet);
    if (!p) return;
    this.received++;
    this.ssrcs.add(p.ssrc);
    this.packets.set(this.received, p.payload);
    this.onPayload?.(p.payload);
    this.onPacket?.(packet);
  }

  /** The PS bytes received so far, in arrival order (loopback does not reorder). */
  ps(): Buffer {
    return Buffer.concat([...this.packets.values()]);
  }

  /** Sends BYE and closes the receiving socket; resolves with the BYE's status. */
  async bye(): Promise<number> {
    const status = await this.byeFn();
    await this.stop();
    return status;
  }

  /** Closes the receiving socket (once). */
  stop(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }
}

let ssrcSerial = 1;

/** Whatever can route a request to a registered device: the platform simulator, or the gateway's device listener. */
export interface LiveRouter {
  route(
    deviceId: string,
  ): { device: { contact: string; peer: SipPeer }; endpoint: SipEndpoint; id: string; domain: string } | null;
  /** Tells about the other side's BYE for a call we placed (both the simulator and the gateway's listener have it). */
  watchCall?(callId: string, onBye: () => void): () => void;
}

export async function inviteLive(
  sim: LiveRouter,
  deviceId: string,
  channelId: string,
  transport: 'UDP' | 'TCP',
): Promise<{ status: number; receiver: LiveReceiver | null }> {
  const route = sim.route(deviceId);
  if (!route) throw new Error(`${deviceId} is not registered`);
  const { device, endpoint: ep } = route;
  const local = ep.transport.local();
  // SSRC as GB/T 28181 Appendix H builds it: 0 (live) + 5 digits of the domain + a 4-digit serial.
  const ssrc = Number(`0${route.domain.slice(3, 8)}${String(ssrcSerial++ % 10_000).padStart(4, '0')}`);
  const receiverRef: { r: LiveReceiver | null } = { r: null };
  let port: number;
  let closeMedia: () => Promise<void>;
  if (transport === 'UDP') {
    const udp: UdpSocket = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, local.host, r));
    udp.on('message', (m) => receiverRef.r?.take(m));
    port = udp.address().port;
    closeMedia = () => new Promise<void>((r) => udp.close(() => r()));
  } else {
    const socks = new Set<Socket>();
    const server: Server = createServer((sock) => {
      socks.add(sock);
      sock.on('close', () => socks.delete(sock));
      let pending = Buffer.alloc(0);
      sock.on('data', (d) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          receiverRef.r?.take(pending.subarray(2, 2 + pending.readUInt16BE(0)));
          pending = pending.subarray(2 + pending.readUInt16BE(0));
        }
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, local.host, r));
    port = (server.address() as { port: number }).port;
    closeMedia = () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const sk of socks) sk.destroy();
      });
  }
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
  invite.body = Buffer.from(offerSdp({ id: route.id, address: local.host, port, transport, ssrc }));
  const r = await ep.request(invite, device.peer);
  if (r.status !== 200) {
    await closeMedia();
    return { status: r.status, receiver: null };
  }
  const toTag = parseNameAddr(header(r, 'To') ?? '')?.params.get('tag');
  ep.transport.send(base('ACK', 1, toTag), device.peer);
  let unwatch = () => undefined as void;
  const receiver = new LiveReceiver(
    ssrc,
    async () => {
      unwatch();
      await closeMedia();
    },
    async () => {
      unwatch();
      return (await ep.request(base('BYE', 2, toTag), device.peer)).status;
    },
  );
  unwatch = sim.watchCall?.(callId, () => receiver.remoteBye()) ?? unwatch;
  receiverRef.r = receiver;
  return { status: 200, receiver };
}
