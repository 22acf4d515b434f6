import {
  can,
  type CockpitToHub,
  type GatewayView,
  type HubToCockpit,
  type LinliEvent,
  scopePrefix,
  validators,
  wire,
} from '@linli/contract';
import type { Namespace, Server } from 'socket.io';
import type { AuthService } from '../auth/auth-service.js';
import type { Logger } from '../log.js';
import type { HubStore } from '../store/hub-store.js';
import { eventArea, roomFor, splitByRoom } from './area-rooms.js';

interface CockpitSocketData {
  userId: string;
  /** Whether the role oversees field work (positions of workers go only to such sockets). */
  oversees: boolean;
  /** A field phone: joins only its user's room. */
  phone: boolean;
  areaCode: string;
  sessionHash: string;
}

const userRoom = (userId: string) => `user:${userId}`;
const overseeRoom = (areaRoom: string) => `oversee:${areaRoom}`;

/** How often live sockets are checked against their sessions (expiry, logout, disabled user). */
const SESSION_SWEEP_MS = 5_000;

/**
 * `/cockpit`: wall displays and browsers. A client authenticates with its
 * session token on every (re)connection — connection-state recovery is not
 * enabled, so no path skips this middleware — and is placed by the server in
 * the room of its own area. A socket whose session ends is disconnected.
 */
export function attachCockpitNamespace(io: Server, store: HubStore, auth: AuthService, log: Logger, clustered = false) {
  const ns = io.of(wire.COCKPIT_NAMESPACE) as Namespace<
    CockpitToHub,
    HubToCockpit,
    Record<string, never>,
    CockpitSocketData
  >;
  ns.use((socket, next) => {
    const checked = validators.cockpitAuth.check(socket.handshake.auth);
    (checked.ok ? auth.authenticate(checked.value.key, Date.now()) : Promise.resolve(null)).then(
      (p) => {
        if (!p || !can(p.user.role, 'view')) {
          log.warn(
            { addr: socket.handshake.address, reason: p ? 'role without live view' : 'no session' },
            'cockpit refused',
          );
          return next(wire.handshakeRefusal('UNAUTHORIZED', 'unauthorized'));
        }
        socket.data = {
          userId: p.user.id,
          oversees: can(p.user.role, 'field_oversee'),
          phone: checked.ok && checked.value.field === true,
          areaCode: p.user.areaCode,
          sessionHash: p.session.tokenHash,
        };
        next();
      },
      (err: unknown) => {
        log.error({ err: String(err), addr: socket.handshake.address }, 'cockpit refused: session not checked');
        next(wire.handshakeRefusal('STORAGE', 'unavailable'));
      },
    );
  });
  ns.on('connection', (socket) => {
    // A worker's tasks reach them wherever the task's grid lies; positions only reach overseers.
    void socket.join(userRoom(socket.data.userId));
    if (!socket.data.phone) {
      void socket.join(roomFor(socket.data.areaCode));
      if (socket.data.oversees) void socket.join(overseeRoom(roomFor(socket.data.areaCode)));
    }
    socket.on('recent', (q, ack) => {
      if (typeof ack !== 'function') return;
      const checked = validators.recentQuery.check(q);
      if (!checked.ok) return ack(wire.failure('INVALID_QUERY', 'invalid recent-events query', checked.issues));
      store.recentEvents(checked.value.limit, scopePrefix(socket.data.areaCode)).then(
        (events) => ack({ ok: true, events }),
        (err: unknown) => {
          log.error({ err: String(err) }, 'recent events not read');
          ack(wire.failure('STORAGE', 'the hub could not read events; retry'));
        },
      );
    });
  });
  // One sweep at a time (a slow database never stacks them up), one query per few hundred sockets.
  // A sweep that cannot read the database disconnects nobody; the next one tries again.
  let sweeping = false;
  const sweepOnce = async () => {
    const now = Date.now();
    const sockets = [...ns.sockets.values()];
    if (!sockets.length) return;
    const live = await auth.sessions.liveAmong(
      sockets.map((s) => s.data.sessionHash),
      now,
    );
    for (const s of sockets)
      if (s.connected && !live.has(s.data.sessionHash)) {
        log.info({ userId: s.data.userId }, 'session ended; cockpit socket disconnected');
        s.disconnect(true);
      }
  };
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepOnce()
      .catch((err: unknown) => log.warn({ err: String(err) }, 'cockpit sessions not checked'))
      .finally(() => (sweeping = false));
  }, SESSION_SWEEP_MS);
  sweep.unref();
  // Socket.IO's in-memory adapter encodes a message before it looks for the room's members, so rooms
  // nobody is in are skipped here (measured: ~14% of the hub's CPU during ingest). A cluster adapter
  // (several hub nodes) would need the rooms of every node, so there every room counts as occupied.
  const occupied = (room: string) => clustered || ns.adapter.rooms.has(room);
  const occupiedHere = (room: string) => ns.adapter.rooms.has(room);
  return {
    broadcast(events: LinliEvent[]): void {
      for (const [room, list] of splitByRoom(events, eventArea)) if (occupied(room)) ns.to(room).emit('events', list);
    },
    broadcastGateways(views: GatewayView[]): void {
      for (const [room, list] of splitByRoom(views, (g) => g.areaCode ?? null))
        // Every node sends its own clients the (shared) view: local, or each client would get one per node.
        if (occupiedHere(room)) ns.local.to(room).emit('gateways', list);
    },
    /** Emits something that belongs to one area (an alert, a command) to every room that contains it. */
    emitScoped(event: string, areaCode: string, payload: unknown): void {
      const rooms = [...splitByRoom([areaCode], (c) => c).keys()].filter(occupied);
      if (!rooms.length) return;
      (ns.to(rooms) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
    /** Emits to every socket of one user (a task dispatched to them). */
    emitToUser(userId: string, event: string, payload: unknown): void {
      (ns.to(userRoom(userId)) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
    /** Emits field work of one grid to the overseers of every area containing it. */
    emitOversee(areaCode: string, event: string, payload: unknown): void {
      const rooms = [...splitByRoom([areaCode], (c) => c).keys()].map(overseeRoom);
      (ns.to(rooms) as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
    /**
     * To every cockpit and wall of this node: each node follows the active city
     * itself (ActiveCity's poll), so each tells only its own clients, once.
     */
    emitLocal(event: string, payload: unknown): void {
      (ns.local as unknown as { emit: (e: string, p: unknown) => void }).emit(event, payload);
    },
    close(): void {
      clearInterval(sweep);
    },
  };
}
