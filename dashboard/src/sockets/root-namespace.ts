import { wire } from '@linli/contract';
import type { Server } from 'socket.io';

/**
 * The hub speaks only on `/gateway` and `/cockpit`, each with its own
 * authentication. Socket.IO still answers the root namespace `/` to anyone
 * unless told otherwise, which let a stranger hold connections open without
 * credentials; every connection there is refused, with the same code the
 * other namespaces use for a missing login.
 */
export function refuseRootNamespace(io: Server): void {
  io.of('/').use((_socket, next) => {
    next(wire.handshakeRefusal('NO_NAMESPACE', 'unauthorized: no service on this namespace'));
  });
}
