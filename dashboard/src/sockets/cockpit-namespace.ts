import {
  type CockpitToHub,
  type GatewayView,
  type HubToCockpit,
  type LinliEvent,
  validators,
  wire,
} from '@linli/contract';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../log.js';
import { secretMatches } from '../secrets.js';
import type { HubStore } from '../store/hub-store.js';

/** The room every authorised cockpit joins; rooms are assigned here, never named by the client. */
const CITY_ROOM = 'area:city';

/**
 * `/cockpit`: wall displays and browsers. A client authenticates with the
 * cockpit key; it can ask for recent events and receives new ones live.
 */
export function attachCockpitNamespace(io: Server, store: HubStore, cockpitKeyHash: () => string | null, log: Logger) {
  const ns = io.of(wire.COCKPIT_NAMESPACE) as Namespace<CockpitToHub, HubToCockpit>;
  ns.use((socket, next) => {
    const auth = validators.cockpitAuth.check(socket.handshake.auth);
    const hash = cockpitKeyHash();
    if (!auth.ok || !hash || !secretMatches(auth.value.key, hash)) {
      log.warn({ addr: socket.handshake.address }, 'cockpit refused: bad or missing key');
      return next(new Error('unauthorized'));
    }
    next();
  });
  ns.on('connection', (socket) => {
    socket.join(CITY_ROOM);
    socket.on('recent', (q, ack) => {
      if (typeof ack !== 'function') return;
      const checked = validators.recentQuery.check(q);
      if (!checked.ok) return ack(wire.failure('INVALID_QUERY', 'invalid recent-events query', checked.issues));
      ack({ ok: true, events: store.recentEvents(checked.value.limit) });
    });
  });
  return {
    broadcast(events: LinliEvent[]): void {
      ns.to(CITY_ROOM).emit('events', events);
    },
    broadcastGateways(views: GatewayView[]): void {
      ns.to(CITY_ROOM).emit('gateways', views);
    },
  };
}
