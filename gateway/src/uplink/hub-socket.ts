import { type GatewayToHub, type HubToGateway, wire } from '@linli/contract';
import { io, type Socket } from 'socket.io-client';
import { describeDisconnect } from './link-watch.js';

export type HubSocket = Socket<HubToGateway, GatewayToHub>;

export interface HubSocketOptions {
  hubUrl: string;
  gatewayId: string;
  token: string;
  /** The attempt is abandoned if the hub has not admitted us to the namespace by then. */
  connectTimeoutMs: number;
}

export interface HubSocketHandlers {
  /** Admitted to the hub's `/gateway` namespace. */
  onConnect: () => void;
  /** The attempt or the connection ended; `refused` when the hub turned our credentials down. */
  onEnd: (reason: string, refused: boolean) => void;
}

/**
 * One connection attempt on a fresh Socket.IO manager with its reconnection
 * off: socket.io-client gives up for good after a server-side disconnect or a
 * refused handshake, so the uplink owns every retry. Every way the attempt or
 * the connection can end (refused, timed out, closed before or after the
 * handshake, kicked) reaches `onEnd` with a reason a person can act on; the
 * caller drops the socket at the first one.
 */
export function openHubSocket(o: HubSocketOptions, h: HubSocketHandlers): HubSocket {
  const socket: HubSocket = io(`${o.hubUrl}${wire.GATEWAY_NAMESPACE}`, {
    auth: { gatewayId: o.gatewayId, token: o.token, protocol: wire.PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: o.connectTimeoutMs,
  });
  const noAnswer = `no answer from the hub within ${o.connectTimeoutMs} ms`;
  // The manager's own timeout stops at the transport; this one also covers a hub that never admits us.
  const watchdog = setTimeout(() => h.onEnd(noAnswer, false), o.connectTimeoutMs);
  watchdog.unref();
  socket.io.engine?.on('close', (reason) => {
    // A close before the handshake is otherwise noticed only when the manager's timeout expires. A "forced
    // close" is the client's own, e.g. on a refused handshake just before its connect_error: that one says why.
    if (!socket.connected && reason !== 'forced close')
      h.onEnd(`the hub closed the connection before the handshake (${reason})`, false);
  });
  socket.on('connect', () => {
    clearTimeout(watchdog);
    h.onConnect();
  });
  socket.on('disconnect', (reason) => {
    clearTimeout(watchdog);
    h.onEnd(describeDisconnect(reason), false);
  });
  socket.on('connect_error', (err) => {
    clearTimeout(watchdog);
    // Not active: the hub's handshake middleware answered, rather than the network failing.
    // The refusal's code is a field the hub sends with it (wire.handshakeRefusal), not words read out of the message.
    const code = wire.refusalCode(err);
    const refused = !socket.active && (code === 'UNAUTHORIZED' || code === 'NO_NAMESPACE');
    if (refused) h.onEnd(`${err.message} (the hub refused this gateway's token)`, true);
    else h.onEnd(err.message === 'timeout' ? noAnswer : withCause(err), false);
  });
  return socket;
}

/** "websocket error" alone says nothing; the transport's own error (ECONNREFUSED, ENOTFOUND, a TLS failure) does. */
function withCause(err: Error & { description?: unknown }): string {
  const d = err.description;
  const cause = d instanceof Error ? d.message : (d as { message?: unknown } | undefined)?.message;
  return typeof cause === 'string' && cause ? `${err.message}: ${cause}` : err.message;
}

/** Closes an attempt for good, silently: nothing it does from now on reaches the uplink. */
export function closeHubSocket(socket: HubSocket): void {
  // Never let socket.io replay a stale batch: the next hello says where to resume.
  socket.sendBuffer = [];
  socket.removeAllListeners();
  socket.disconnect();
}
