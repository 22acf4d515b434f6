import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP load balancer on loopback in front of several hub nodes, as HAProxy in
 * the city deployment: each new connection goes to the first node that
 * accepts it, in order, so all gateways start on the first node and move to
 * the next when it dies (their sockets close and they reconnect).
 */
export class TcpBalancer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Connections handed to each backend port. */
  readonly routed = new Map<number, number>();

  constructor(private readonly backends: number[]) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      client.pause();
      client.on('error', () => {});
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      this.connect(client, 0);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this.port;
  }

  private connect(client: Socket, i: number): void {
    const port = this.backends[i];
    if (port === undefined) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    let connected = false;
    // Refused: this node is down; try the next one.
    upstream.once('error', () => {
      if (!connected) this.connect(client, i + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      this.routed.set(port, (this.routed.get(port) ?? 0) + 1);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => {});
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.resume();
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
