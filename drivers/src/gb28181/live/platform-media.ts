import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { frame4571 } from './ps-rtp.js';
import type { MediaOffer } from './sdp.js';

/**
 * The upward media leg every live view shares, whether the gateway makes the
 * stream (LiveStream, from an ONVIF camera) or relays a GB camera's
 * (LiveRelay): a UDP socket whose local port goes into the answer SDP, and,
 * when the platform listens (a=setup:passive, the common case for TCP), a
 * connection to it carrying RTP with RFC 4571 framing. `close` is idempotent.
 */
export class PlatformMedia {
  private udp: UdpSocket | null = null;
  private tcp: Socket | null = null;

  constructor(private readonly offer: MediaOffer) {}

  /** Binds the UDP socket before the answer is sent; its port is the one to put in the SDP. */
  async open(bindHost: string): Promise<number> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, bindHost, () => resolve());
    });
    udp.on('error', () => undefined);
    this.udp = udp;
    return udp.address().port;
  }

  /** On the platform's ACK: connects to its passive TCP port (nothing to do for UDP). */
  async connect(onClose: (why: string) => void): Promise<void> {
    if (this.offer.transport !== 'TCP') return;
    const tcp = connect({ host: this.offer.address, port: this.offer.port });
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', reject);
    });
    tcp.on('error', () => undefined);
    tcp.on('close', () => onClose('the platform closed the TCP media connection'));
    this.tcp = tcp;
  }

  /** One RTP packet to the platform, framed for TCP or as a datagram. */
  send(packet: Buffer): void {
    if (this.offer.transport === 'TCP') this.tcp?.write(frame4571(packet));
    else this.udp?.send(packet, this.offer.port, this.offer.address);
  }

  async close(): Promise<void> {
    this.tcp?.destroy();
    this.tcp = null;
    const udp = this.udp;
    this.udp = null;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
  }
}
