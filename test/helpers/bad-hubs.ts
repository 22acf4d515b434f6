import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/** A hub address that misbehaves at the TCP or WebSocket level, counting the connections it sees. */
export interface BadHub {
  url: string;
  port: number;
  /** TCP connections accepted so far (one per gateway attempt). */
  attempts: () => number;
  stop: () => Promise<void>;
}

async function listen(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

function badHub(server: Server, port: number, sockets: Set<Socket>, count: () => number): BadHub {
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    attempts: count,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Accepts TCP and never answers a byte: a hub behind a dead proxy or a stuck process. */
export async function silentHub(): Promise<BadHub> {
  let n = 0;
  const { server, port, sockets } = await listen(() => void n++);
  return badHub(server, port, sockets, () => n);
}

/**
 * Completes the WebSocket upgrade (a real 101 with the right accept key), then
 * closes the connection before Engine.IO's open packet: a proxy that takes the
 * upgrade and drops the upstream.
 */
export async function upgradeThenCloseHub(): Promise<BadHub> {
  let n = 0;
  const { server, port, sockets } = await listen((s) => {
    n++;
    let head = '';
    s.setEncoding('latin1');
    s.on('data', (chunk: string) => {
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const key = /^sec-websocket-key:\s*(.+)$/im.exec(head)?.[1]?.trim();
      if (!key) return void s.destroy();
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      s.end(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
    });
  });
  return badHub(server, port, sockets, () => n);
}
