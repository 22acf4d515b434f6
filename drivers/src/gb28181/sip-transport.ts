import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { decodeSip, encodeSip, type SipMessage } from './sip-message.js';

/**
 * SIP over UDP (one message per datagram) and TCP (a byte stream framed by
 * Content-Length), behind one interface. A message that does not decode is
 * reported (`onBadMessage`) and dropped; on TCP the undecodable bytes are
 * skipped as the codec says, so one bad message cannot wedge the stream.
 */

export type SipTransportKind = 'UDP' | 'TCP';

export interface SipPeer {
  transport: SipTransportKind;
  host: string;
  port: number;
}

export interface SipTransport {
  readonly kind: SipTransportKind;
  /** The address this side sends from (for Via and Contact). */
  local(): { host: string; port: number };
  send(msg: SipMessage, to: SipPeer): void;
  onMessage(fn: (msg: SipMessage, from: SipPeer) => void): void;
  onBadMessage(fn: (reason: string, from: SipPeer) => void): void;
  /** TCP: the connection to `peer` ended (the link dropped). */
  onClose(fn: (peer: SipPeer) => void): void;
  close(): Promise<void>;
}

abstract class Base {
  protected messageFns: ((m: SipMessage, from: SipPeer) => void)[] = [];
  protected badFns: ((reason: string, from: SipPeer) => void)[] = [];
  protected closeFns: ((peer: SipPeer) => void)[] = [];
  onMessage(fn: (m: SipMessage, from: SipPeer) => void): void {
    this.messageFns.push(fn);
  }
  onBadMessage(fn: (reason: string, from: SipPeer) => void): void {
    this.badFns.push(fn);
  }
  onClose(fn: (peer: SipPeer) => void): void {
    this.closeFns.push(fn);
  }
  protected deliver(m: SipMessage, from: SipPeer): void {
    for (const f of this.messageFns) f(m, from);
  }
  protected bad(reason: string, from: SipPeer): void {
    for (const f of this.badFns) f(reason, from);
  }
}

export class UdpTransport extends Base implements SipTransport {
  readonly kind = 'UDP' as const;
  private closed = false;
  private constructor(private readonly socket: UdpSocket) {
    super();
    socket.on('message', (data, rinfo) => {
      const from: SipPeer = { transport: 'UDP', host: rinfo.address, port: rinfo.port };
      const r = decodeSip(data, { framing: 'datagram' });
      if (r.ok) this.deliver(r.value, from);
      else if (r.error.kind === 'invalid' && !r.error.reason.startsWith('blank')) this.bad(r.error.reason, from);
    });
    // A send to a closed port gives ICMP errors on some systems: the transaction timer handles the loss.
    socket.on('error', () => undefined);
  }

  static async open(host: string, port: number): Promise<UdpTransport> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpTransport(socket);
  }

  local() {
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  send(msg: SipMessage, to: SipPeer): void {
    // A retransmission timer may fire after close; a datagram to nowhere is the right outcome, not a throw.
    if (this.closed) return;
    this.socket.send(encodeSip(msg), to.port, to.host);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.socket.close(() => r()));
  }
}

/** Reads SIP messages off one TCP connection. */
function frameStream(socket: Socket, deliver: (m: SipMessage) => void, bad: (r: string) => void) {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const r = decodeSip(pending, { framing: 'stream' });
      if (r.ok) {
        pending = pending.subarray(r.consumed);
        deliver(r.value);
      } else if (r.error.kind === 'invalid') {
        if (!r.error.reason.startsWith('blank')) bad(r.error.reason);
        pending = pending.subarray(r.error.skip);
      } else break;
      if (!pending.length) break;
    }
  });
}

/** One outgoing TCP connection (a lower platform to its upper platform). */
export class TcpClientTransport extends Base implements SipTransport {
  readonly kind = 'TCP' as const;
  private closed = false;
  private constructor(
    private readonly socket: Socket,
    peer: SipPeer,
  ) {
    super();
    frameStream(
      socket,
      (m) => this.deliver(m, peer),
      (r) => this.bad(r, peer),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      for (const f of this.closeFns) f(peer);
    });
  }

  static async connect(host: string, port: number, timeoutMs: number): Promise<TcpClientTransport> {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new TcpClientTransport(socket, { transport: 'TCP', host, port });
  }

  isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  local() {
    return { host: this.socket.localAddress ?? '127.0.0.1', port: this.socket.localPort ?? 0 };
  }

  send(msg: SipMessage): void {
    if (this.isOpen()) this.socket.write(encodeSip(msg));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.socket.destroy();
  }
}

/** A listening TCP side (a platform): answers go back on the connection the request came in on. */
export class TcpServerTransport extends Base implements SipTransport {
  readonly kind = 'TCP' as const;
  private readonly conns = new Map<string, Socket>();
  private constructor(private readonly server: Server) {
    super();
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      const peer: SipPeer = { transport: 'TCP', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
      const key = `${peer.host}:${peer.port}`;
      this.conns.set(key, socket);
      frameStream(
        socket,
        (m) => this.deliver(m, peer),
        (r) => this.bad(r, peer),
      );
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.conns.delete(key);
        for (const f of this.closeFns) f(peer);
      });
    });
  }

  static async listen(host: string, port: number): Promise<TcpServerTransport> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpServerTransport(server);
  }

  local() {
    const a = this.server.address();
    return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host: '', port: 0 };
  }

  send(msg: SipMessage, to: SipPeer): void {
    this.conns.get(`${to.host}:${to.port}`)?.write(encodeSip(msg));
  }

  /** Drops every connection (a platform that restarts). */
  dropAll(): void {
    for (const s of this.conns.values()) s.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
