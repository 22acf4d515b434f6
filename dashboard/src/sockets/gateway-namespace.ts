import { type GatewayToHub, type HubToGateway, type LinliEvent, validators, wire } from '@linli/contract';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../log.js';
import { secretMatches } from '../secrets.js';
import type { HubStore, IngestResult } from '../store/hub-store.js';

interface GatewaySocketData {
  gatewayId: string;
}

/**
 * `/gateway`: authenticated gateways deliver event batches. The hub
 * acknowledges only after its own durable commit, deduplicates by
 * (gateway, seq) and never half-applies a batch that fails validation.
 */
export function attachGatewayNamespace(
  io: Server,
  store: HubStore,
  log: Logger,
  onStored: (events: LinliEvent[]) => void,
): Namespace<GatewayToHub, HubToGateway, Record<string, never>, GatewaySocketData> {
  const ns = io.of(wire.GATEWAY_NAMESPACE) as Namespace<
    GatewayToHub,
    HubToGateway,
    Record<string, never>,
    GatewaySocketData
  >;

  ns.use((socket, next) => {
    const addr = socket.handshake.address;
    const auth = validators.gatewayAuth.check(socket.handshake.auth);
    if (!auth.ok) {
      log.warn({ addr, issues: auth.issues.map((i) => i.field) }, 'gateway refused: malformed handshake');
      return next(new Error('unauthorized: malformed handshake'));
    }
    const gw = store.gateway(auth.value.gatewayId);
    if (!gw || gw.revoked || !secretMatches(auth.value.token, gw.tokenHash)) {
      log.warn(
        {
          addr,
          gatewayId: auth.value.gatewayId,
          reason: !gw ? 'unknown' : gw.revoked ? 'revoked' : 'bad token',
        },
        'gateway refused',
      );
      return next(new Error('unauthorized'));
    }
    socket.data.gatewayId = gw.id;
    next();
  });

  ns.on('connection', (socket) => {
    const gatewayId = socket.data.gatewayId;
    const glog = log.child({ gatewayId });
    glog.info({ addr: socket.handshake.address }, 'gateway connected');
    // A newer connection of the same gateway replaces older ones: one writer per gateway.
    socket.join(`gw:${gatewayId}`);
    void ns
      .in(`gw:${gatewayId}`)
      .fetchSockets()
      .then((all) => {
        for (const s of all) if (s.id !== socket.id) s.disconnect(true);
      });

    socket.on('hello', (_msg, ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, lastSeq: store.lastSeq(gatewayId), serverTime: Date.now() });
    });

    socket.on('events', (batch, ack) => {
      if (typeof ack !== 'function') return socket.disconnect(true);
      const checked = validators.eventBatch.check(batch);
      if (!checked.ok) {
        glog.warn({ issues: checked.issues.slice(0, 5) }, 'batch rejected: invalid');
        return ack(
          wire.failure(
            'INVALID_BATCH',
            'batch failed validation; nothing was stored',
            checked.issues.slice(0, 20).map(({ field, message }) => ({ field, message })),
          ),
        );
      }
      const foreign = checked.value.events.find((e) => e.gatewayId !== gatewayId);
      if (foreign) {
        glog.warn({ seq: foreign.seq }, 'batch rejected: event of another gateway');
        return ack(
          wire.failure(
            'WRONG_GATEWAY',
            `event seq ${foreign.seq} claims gateway ${foreign.gatewayId}; nothing was stored`,
          ),
        );
      }
      let result: IngestResult;
      try {
        result = store.ingest(gatewayId, checked.value.events);
      } catch (err) {
        glog.error({ err: String(err) }, 'batch not stored');
        return ack(wire.failure('STORAGE', 'the hub could not store the batch; retry later'));
      }
      if (result.gap) glog.warn({ ackSeq: result.ackSeq }, 'batch skipped a sequence; asked gateway to resend');
      ack({ ok: true, ackSeq: result.ackSeq });
      if (result.inserted.length) onStored(result.inserted);
    });

    socket.on('disconnect', (reason) => glog.info({ reason }, 'gateway disconnected'));
  });
  return ns;
}
