import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, connect, type Socket } from 'node:net';

/**
 * A UDP and TCP relay on loopback between a lower side and its platform that
 * can be cut: while cut, nothing passes in either direction (a link that
 * silently drops, as a 4G uplink or a firewall does).
 */
export async function startRelay(target: number): Promise<{ port: number; cut: boolean; stop: () => Promise<void> }> {
  const state = { cut: false };
  const tcp = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const pipe = (from: Socket, to: Socket) => from.on('data', (d) => !state.cut && to.write(d));
    pipe(client, upstream);
    pipe(upstream, client);
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => (client.destroy(), upstream.destroy()));
    }
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const port = (tcp.address() as { port: number }).port;
  const udp = createSocket('udp4');
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', r));
  const upstreams = new Map<string, ReturnType<typeof createSocket>>();
  udp.on('message', (msg, rinfo: RemoteInfo) => {
    if (state.cut) return;
    const key = `${rinfo.address}:${rinfo.port}`;
    let up = upstreams.get(key);
    if (!up) {
      up = createSocket('udp4');
      up.on('message', (back) => !state.cut && udp.send(back, rinfo.port, rinfo.address));
      upstreams.set(key, up);
    }
    up.send(msg, target, '127.0.0.1');
  });
  return Object.assign(state, {
    port,
    stop: async () => {
      for (const u of upstreams.values()) u.close();
      await new Promise<void>((r) => udp.close(() => r()));
      tcp.close();
    },
  });
}
