import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { frame4571 } from './ps-rtp.js';
import type { LiveMedia } from './live-sessions.js';
import type { MediaOffer } from './sdp.js';

/** The downward leg of a relay: a camera's live video arriving as RTP packets, and its BYE. */
export interface RelayLeg {
  onPacket: ((packet: Buffer) => void) | null;
  /** The camera ended the call with its own BYE. */
  onRemoteBye: (() => void) | null;
  byeReceived: boolean;
  bye(): Promise<number>;
  stop(): Promise<void>;
}

/** Packets kept between the camera's first packet and the upper platform's ACK (the first carry the PSM and key frame). */
const MAX_EARLY_PACKETS = 4000;

/**
 * An upper platform's live view of a GB/T 28181 camera registered to the
 * gateway: `open` INVITEs the camera (so a camera that cannot stream is
 * refused before we answer), `start` (on the platform's ACK) forwards every
 * RTP packet the camera sends, with the platform's payload type and SSRC
 * written in, over UDP or over TCP (RFC 4571) when the platform listens.
 * The PS inside is the camera's own, not re-muxed: no ffmpeg on the gateway.
 * `stop` sends BYE to the camera (unless it hung up first) and closes both sockets.
 */
export class LiveRelay implements LiveMedia {
  private udp: UdpSocket | null = null;
  private tcp: Socket | null = null;
  private leg: RelayLeg | null = null;
  private early: Buffer[] | null = [];
  private stopping: Promise<void> | null = null;
  /** Packets forwarded, for status and tests. */
  sent = 0;

  constructor(
    private readonly offer: MediaOffer,
    private readonly invite: () => Promise<RelayLeg>,
    private readonly onEnd: (why: string) => void = () => undefined,
  ) {}

  async open(bindHost: string): Promise<{ port: number }> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, bindHost, () => resolve());
    });
    udp.on('error', () => undefined);
    this.udp = udp;
    const leg = await this.invite();
    if (this.stopping) {
      await leg.bye().catch(() => leg.stop());
      throw new Error('stopped while the camera answered');
    }
    this.leg = leg;
    // The camera hung up (its stream ended): the session ends, and LiveSessions tells the platform with a BYE.
    leg.onRemoteBye = () => this.onEnd('the camera ended the stream (BYE)');
    leg.onPacket = (p) => (this.early ? this.early.length < MAX_EARLY_PACKETS && this.early.push(p) : this.forward(p));
    return { port: udp.address().port };
  }

  async start(): Promise<void> {
    if (this.offer.transport === 'TCP') {
      // The platform listens (setup:passive): the gateway connects, as for an ONVIF camera's stream.
      const tcp = connect({ host: this.offer.address, port: this.offer.port });
      await new Promise<void>((resolve, reject) => {
        tcp.once('connect', resolve);
        tcp.once('error', reject);
      });
      tcp.on('error', () => undefined);
      tcp.on('close', () => this.onEnd('the platform closed the TCP media connection'));
      this.tcp = tcp;
    }
    const early = this.early ?? [];
    this.early = null;
    for (const p of early) this.forward(p);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const leg = this.leg;
      this.leg = null;
      if (leg) {
        leg.onPacket = null;
        leg.onRemoteBye = null;
        await (leg.byeReceived ? leg.stop() : leg.bye().catch(() => leg.stop()));
      }
      this.tcp?.destroy();
      await new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r()));
      this.udp = null;
    })();
    return this.stopping;
  }

  /** The camera's packet with the platform's payload type (the marker bit kept) and SSRC. */
  private forward(packet: Buffer): void {
    if (packet.length < 12) return;
    const out = Buffer.from(packet);
    out[1] = (out[1]! & 0x80) | (this.offer.psPayloadType & 0x7f);
    out.writeUInt32BE(this.offer.ssrc >>> 0, 8);
    if (this.offer.transport === 'TCP') this.tcp?.write(frame4571(out));
    else this.udp?.send(out, this.offer.port, this.offer.address);
    this.sent++;
  }
}
