import type { Server as HttpServer } from 'node:http';
import { type FieldUpdate, type GatewayView, type LinliEvent, wire } from '@linli/contract';
import { Server } from 'socket.io';
import type { Alert } from '../alerts/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditSink } from '../auth/audit-sink.js';
import type { AuthService } from '../auth/auth-service.js';
import type { ActiveCity } from '../city/active-city.js';
import { announceCityChanges } from '../city/city-changed.js';
import { connectRedisAdapter } from '../cluster/redis-adapter.js';
import type { CommandService } from '../commands/command-service.js';
import type { Logger } from '../log.js';
import type { MediaStore } from '../media/media-store.js';
import type { SqlHubStore } from '../store/sql-hub-store.js';
import { attachCockpitNamespace } from './cockpit-namespace.js';
import { attachGatewayNamespace } from './gateway-namespace.js';
import type { GatewayRateLimits } from './gateway-rate.js';
import { refuseRootNamespace } from './root-namespace.js';

export interface HubSocketDeps {
  store: SqlHubStore;
  auth: AuthService;
  log: Logger;
  nodeId: string;
  /** redis://… : Socket.IO across several hub nodes (needs a PostgreSQL store). */
  redis?: string;
  city: ActiveCity;
  commands: CommandService;
  audit: AuditSink;
  auditLog: AuditLog;
  media: MediaStore;
  gatewayRate?: GatewayRateLimits;
  /** A gateway batch is stored: count it, raise its alerts (cockpits already have it). */
  onStored: (events: LinliEvent[]) => void;
}

export interface HubSockets {
  emitAlert(a: Alert): void;
  emitField(u: FieldUpdate): void;
  broadcastGateways(views: GatewayView[]): void;
  disconnectGateway(id: string): void;
  close(): Promise<void>;
}

/**
 * Socket.IO on the hub's HTTP server: the refused root namespace, the Redis
 * adapter when clustered, the cockpit namespace (events, alerts, field, city
 * changes) and the gateway namespace (batches in, commands out, presence in the
 * database). close() undoes all of it.
 */
export async function attachHubSockets(http: HttpServer, d: HubSocketDeps): Promise<HubSockets> {
  const { store, log } = d;
  const io = new Server(http, {
    maxHttpBufferSize: wire.MAX_MESSAGE_BYTES,
    serveClient: false,
    cors: { origin: false },
  });
  refuseRootNamespace(io);
  let redis: { close(): Promise<void> } | null = null;
  if (d.redis) {
    try {
      if (store.db.dialect !== 'postgres')
        throw new Error('--redis (several hub nodes) needs --database postgres://…: nodes must share one database');
      const r = await connectRedisAdapter(d.redis, log.child({ ns: 'redis' }));
      redis = r;
      io.adapter(r.adapter);
    } catch (err) {
      // Rethrown after closing the server, so a refused start leaves nothing listening on the HTTP server.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      throw err;
    }
    log.info({ node: d.nodeId }, 'clustered: Socket.IO through Redis');
  }
  const cockpit = attachCockpitNamespace(io, store, d.auth, log.child({ ns: 'cockpit' }), !!d.redis);
  announceCityChanges(d.city, cockpit, log);
  const gateways = attachGatewayNamespace(
    io,
    store,
    log.child({ ns: 'gateway' }),
    {
      onStored: (events) => {
        cockpit.broadcast(events);
        d.onStored(events);
      },
      // The database records which node holds each gateway, so every node's cockpit shows the same state.
      audit: d.auditLog,
      onConnection: (id, up) => {
        void store
          .setGatewayNode(id, up ? d.nodeId : null, up ? undefined : d.nodeId)
          .catch((err: unknown) => log.warn({ err: String(err), gatewayId: id }, 'gateway presence not recorded'));
        if (up)
          void d.commands
            .deliver(id)
            .catch((err: unknown) => log.warn({ err: String(err), gatewayId: id }, 'commands not delivered'));
      },
      // A contested gateway identity (at most once a minute per gateway) goes to the audit log.
      onIdentityConflict: (c) =>
        d.audit.record({
          ...{ userId: 'system:gateway-link', role: '-', action: 'gateway:duplicate-connection' },
          ...{ targetType: 'gateway', targetId: c.gatewayId, outcome: c.outcome === 'refused' ? 'denied' : 'ok' },
          detail: `${c.outcome}: ${c.addr} vs ${c.otherAddr}; replaced ${c.replaced}, refused ${c.refused}`,
        }),
    },
    d.media,
    d.gatewayRate,
  );
  d.commands.attach((id, cmd) => gateways.sendCommand(id, cmd));
  return {
    emitAlert(a) {
      cockpit.emitScoped('alert', a.gridId, a);
      if (a.assignee?.type === 'user') cockpit.emitToUser(a.assignee.id, 'alert', a);
    },
    emitField: (u) => cockpit.emitOversee(u.gridId, 'field', u),
    broadcastGateways: (views) => cockpit.broadcastGateways(views),
    disconnectGateway: (id) => gateways.disconnect(id),
    async close() {
      cockpit.close();
      gateways.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.close();
    },
  };
}
