import { createServer } from 'node:http';
import { wire } from '@linli/contract';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';

/**
 * A Socket.IO relay in front of the real hub that ends the gateway's socket
 * on its first `hello`, the way the hub does when its database fails during
 * the hello (`socket.disconnect(true)`), and relays everything afterwards
 * (handshake, messages and their acknowledgements, commands back).
 */
export async function helloRefuser(hubUrl: string, refuse = 1) {
  const http = createServer();
  const server = new Server(http, { maxHttpBufferSize: wire.MAX_MESSAGE_BYTES });
  let hellos = 0;
  server.of(wire.GATEWAY_NAMESPACE).on('connection', (down) => {
    const up = io(`${hubUrl}${wire.GATEWAY_NAMESPACE}`, {
      auth: down.handshake.auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    up.on('connect_error', () => down.disconnect(true));
    up.on('disconnect', () => down.disconnect(true));
    down.on('disconnect', () => up.disconnect());
    up.on('command', (cmd: unknown, ack: (r: unknown) => void) =>
      down.timeout(30_000).emit('command', cmd, (_err: unknown, r: unknown) => ack(r)),
    );
    down.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: unknown) => void) : null;
      if (event === 'hello' && hellos++ < refuse) return void down.disconnect(true);
      // Emits before the upstream is connected wait in socket.io-client's send buffer.
      if (ack) up.emit(event, ...args, ack);
      else up.emit(event, ...args);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(http.address() as { port: number }).port}`,
    hellos: () => hellos,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
