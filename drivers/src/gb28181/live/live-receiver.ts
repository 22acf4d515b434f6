import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { rtpPayload } from './ps-rtp.js';

/**
 * The upper platform's side of a live view's media: the RTP collected and
 * reassembled into the PS byte stream. The gateway uses it for GB/T 28181
 * snapshots; the tests use it as the platform watching live video.
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

/**
 * The receiving socket, opened before the INVITE so its port goes in the SDP:
 * UDP, or a TCP listener for a=setup:passive (RFC 4571 framing: a 2-byte
 * length before each RTP packet). Packets go to `onPacket` until `close`.
 */
export async function openMediaSocket(
  transport: 'UDP' | 'TCP',
  host: string,
  onPacket: (packet: Buffer) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  if (transport === 'UDP') {
    const udp: UdpSocket = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, host, r));
    udp.on('message', onPacket);
    return { port: udp.address().port, close: () => new Promise<void>((r) => udp.close(() => r())) };
  }
  const socks = new Set<Socket>();
  const server: Server = createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    let pending = Buffer.alloc(0);
    sock.on('data', (d) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        onPacket(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
    });
    // A device that resets the connection has ended its stream ('close' forgets the socket); unhandled, the error would end the process.
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const sk of socks) sk.destroy();
      }),
  };
}
