import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that can cut every connection at once, or refuse
 * new ones: the network between a gateway and the hub, misbehaving on cue.
 */
export class ChaosProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private accepting = true;
  cuts = 0;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      if (!this.accepting) return client.destroy();
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** Drops every open connection mid-stream. */
  cut(): void {
    if (this.sockets.size) this.cuts++;
    for (const s of this.sockets) s.destroy();
  }

  /** While down, connections are accepted and closed at once (the hub looks unreachable). */
  setUp(up: boolean): void {
    this.accepting = up;
    if (!up) this.cut();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
