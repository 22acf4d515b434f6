import {
  type Command,
  type CommandReply,
  type ErrorCode,
  type EvictedRange,
  type GatewayToHub,
  type HubToGateway,
  type LinliEvent,
  type RejectedEvent,
  type ValidationIssue,
  validators,
  wire,
} from '@linli/contract';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../log.js';
import { handleMedia } from '../media/media-handler.js';
import type { MediaStore } from '../media/media-store.js';
import { secretMatches } from '../secrets.js';
import type { HubStore, IngestResult } from '../store/hub-store.js';
import { GatewayIdentity, type IdentityConflict } from './gateway-identity.js';
import { GatewayRateLimiter, type GatewayRateLimits } from './gateway-rate.js';
import type { GatewayAuthority } from './gateway-authority.js';
import { GatewayGuard } from './gateway-guard.js';
import type { AuditQueue } from './refusal-audit.js';

interface GatewaySocketData {
  gatewayId: string;
  /** When the handshake was accepted: the newest connection of a gateway wins (see gateway-identity.ts). */
  connectedAt: number;
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
  hooks: {
    onStored: (events: LinliEvent[]) => void;
    onConnection: (gatewayId: string, connected: boolean) => void;
    onIdentityConflict?: (c: IdentityConflict) => void;
    /** Where authority refusals and device-list changes are audited. */
    audit?: AuditQueue;
  },
  media?: MediaStore,
  rateLimits?: GatewayRateLimits,
) {
  const rate = new GatewayRateLimiter(rateLimits);
  // Area and declared devices: what each gateway may raise (gateway-guard.ts).
  const guard = new GatewayGuard(store, hooks.audit, log);
  /** Answers RATE_LIMITED (nothing stored; the gateway's outbox resends) when a gateway is over its buckets. */
  const limited = (gatewayId: string, events: number, glog: Logger) => {
    const wait = rate.check(gatewayId, events);
    if (wait === null) return null;
    // One line per 100 refusals: a flood must not flood the log too.
    if (rate.refused(gatewayId) % 100 === 1)
      glog.warn({ refused: rate.refused(gatewayId), wait }, 'gateway rate-limited');
    return wire.failure('RATE_LIMITED', `too many messages from this gateway; retry in ${wait} ms`, undefined, {
      retryAfterMs: wait,
    });
  };
  const ns = io.of(wire.GATEWAY_NAMESPACE) as Namespace<
    GatewayToHub,
    HubToGateway,
    Record<string, never>,
    GatewaySocketData
  >;
  const identity = new GatewayIdentity((id) => ns.in(`gw:${id}`).fetchSockets(), log, hooks.onIdentityConflict);

  ns.use(async (socket, next) => {
    const addr = socket.handshake.address;
    const auth = validators.gatewayAuth.check(socket.handshake.auth);
    if (!auth.ok) {
      log.warn({ addr, issues: auth.issues.map((i) => i.field) }, 'gateway refused: malformed handshake');
      return next(wire.handshakeRefusal('UNAUTHORIZED', 'unauthorized: malformed handshake'));
    }
    let gw: Awaited<ReturnType<HubStore['gateway']>>;
    try {
      gw = await store.gateway(auth.value.gatewayId);
    } catch (err) {
      log.error({ err: String(err) }, 'gateway handshake: storage unavailable');
      return next(wire.handshakeRefusal('STORAGE', 'unavailable: the hub cannot reach its database; retry later'));
    }
    if (!gw || gw.revoked || !secretMatches(auth.value.token, gw.tokenHash)) {
      log.warn(
        {
          addr,
          gatewayId: auth.value.gatewayId,
          reason: !gw ? 'unknown' : gw.revoked ? 'revoked' : 'bad token',
        },
        'gateway refused',
      );
      return next(wire.handshakeRefusal('UNAUTHORIZED', 'unauthorized'));
    }
    // When the other hub nodes cannot be asked (one just died), admit: a gateway kept out is worse than two writers.
    const refusal = await identity.admit(gw.id, addr).catch((err: unknown) => {
      log.warn({ err: String(err), gatewayId: gw.id }, 'gateway handshake: its other connections not readable');
      return null;
    });
    if (refusal) return next(refusal);
    socket.data.gatewayId = gw.id;
    socket.data.connectedAt = Date.now();
    next();
  });

  ns.on('connection', (socket) => {
    const gatewayId = socket.data.gatewayId;
    const glog = log.child({ gatewayId });
    glog.info({ addr: socket.handshake.address }, 'gateway connected');
    hooks.onConnection(gatewayId, true);
    // A newer connection of the same gateway replaces older ones: one writer per gateway.
    socket.join(`gw:${gatewayId}`);
    identity.takeOver(socket).catch((err: unknown) => glog.warn({ err: String(err) }, 'older connections not ended'));

    // This connection's authority: set by hello (which may declare devices), else read once on first use.
    let authority: Promise<GatewayAuthority> | null = null;
    const authorityNow = (): Promise<GatewayAuthority> => {
      if (!authority) {
        authority = guard.load(gatewayId);
        authority.catch(() => (authority = null)); // a storage fault is not remembered
      }
      return authority;
    };

    socket.on('hello', async (msg, ack) => {
      if (typeof ack !== 'function') return;
      // A hello may write a device list: a gateway reconnecting in a loop must not turn it into a write flood.
      const slow = limited(gatewayId, 0, glog);
      if (slow) return ack(slow);
      const checked = validators.hello.check(msg ?? {});
      if (!checked.ok) return ack(rejectInvalid(glog, checked.issues, 'INVALID_HELLO'));
      const dup = GatewayGuard.duplicateDevice(checked.value.devices);
      if (dup) return ack(wire.failure('INVALID_HELLO', `device ${dup} is declared twice; nothing was changed`));
      try {
        const lastSeq = await store.lastSeq(gatewayId);
        const out = await guard.hello(gatewayId, checked.value, lastSeq);
        authority = Promise.resolve(out.authority);
        ack({ ok: true, lastSeq, serverTime: Date.now(), ...(out.devices ? { devices: out.devices } : {}) });
      } catch (err) {
        glog.error({ err: String(err) }, 'hello not answered: storage');
        socket.disconnect(true);
      }
    });

    socket.on('events', async (batch, ack) => {
      if (typeof ack !== 'function') return socket.disconnect(true);
      const checked = validators.eventBatch.check(batch);
      if (!checked.ok) return ack(rejectInvalid(glog, checked.issues));
      const { events, evicted = [] } = checked.value;
      const slow = limited(gatewayId, events.length, glog);
      if (slow) return ack(slow);
      if (!events.length && !evicted.length)
        return ack(wire.failure('EMPTY_BATCH', 'a batch needs events or evicted ranges'));
      const bad = checkOwnership(events, gatewayId) ?? checkRanges(evicted);
      if (bad) {
        glog.warn({ code: bad.error.code }, 'batch rejected');
        return ack(bad);
      }
      let result: IngestResult;
      let auth: GatewayAuthority;
      let judged: ReturnType<GatewayGuard['judge']>;
      try {
        auth = await authorityNow();
        judged = guard.judge(auth, events, 'events');
        if ('failure' in judged) return ack({ ok: false, error: judged.failure });
        const refused = judged.rejected.map((r) => r.seq);
        result = await store.ingest(gatewayId, judged.accepted, evicted, refused);
      } catch (err) {
        glog.error({ err: String(err) }, 'batch not stored');
        return ack(wire.failure('STORAGE', 'the hub could not store the batch; retry later'));
      }
      if (result.gap) glog.warn({ ackSeq: result.ackSeq }, 'batch skipped a sequence; asked gateway to resend');
      if (result.lost)
        glog.warn({ lost: result.lost, ackSeq: result.ackSeq }, 'gateway evicted telemetry it could not buffer');
      // Refused events are behind the watermark now: the gateway drops them, its backlog moves on.
      const rejected = judged.rejected.filter((r) => r.seq <= result.ackSeq);
      ack({ ok: true, ackSeq: result.ackSeq, ...(rejected.length ? { rejected } : {}) });
      if (result.rejected.length) {
        const moved = new Set(result.rejected);
        guard.auditRejected(
          auth,
          events,
          rejected.filter((r) => moved.has(r.seq)),
          'events',
        );
      }
      if (result.inserted.length) hooks.onStored(result.inserted);
    });

    socket.on('live', async (batch, ack) => {
      if (typeof ack !== 'function') return socket.disconnect(true);
      const checked = validators.liveBatch.check(batch);
      if (!checked.ok) return ack(rejectInvalid(glog, checked.issues));
      const bad = checkOwnership(checked.value.events, gatewayId);
      if (bad) return ack(bad);
      const slow = limited(gatewayId, checked.value.events.length, glog);
      if (slow) return ack(slow);
      let inserted: LinliEvent[];
      let rejected: RejectedEvent[];
      try {
        const auth = await authorityNow();
        const judged = guard.judge(auth, checked.value.events, 'live');
        if ('failure' in judged) return ack({ ok: false, error: judged.failure });
        rejected = judged.rejected;
        if (rejected.length) guard.auditRejected(auth, checked.value.events, rejected, 'live');
        inserted = await store.ingestLive(gatewayId, judged.accepted);
      } catch (err) {
        glog.error({ err: String(err) }, 'live events not stored');
        return ack(wire.failure('STORAGE', 'the hub could not store the events; they will come with the backlog'));
      }
      ack({ ok: true, stored: inserted.length, ...(rejected.length ? { rejected } : {}) });
      if (inserted.length) hooks.onStored(inserted);
    });

    socket.on('status', async (status, ack) => {
      if (typeof ack !== 'function') return;
      const slow = limited(gatewayId, 0, glog);
      if (slow) return ack(slow);
      const checked = validators.gatewayStatus.check(status);
      if (!checked.ok) return ack(rejectInvalid(glog, checked.issues));
      const now = Date.now();
      try {
        await store.recordStatus(gatewayId, checked.value, now);
      } catch (err) {
        glog.error({ err: String(err) }, 'status not stored');
      }
      ack({ ok: true, serverTime: now });
    });

    socket.on('media', async (msg, ack) => {
      if (typeof ack !== 'function') return socket.disconnect(true);
      const slow = limited(gatewayId, 0, glog);
      if (slow) return ack(slow);
      if (!media) return ack(wire.failure('UNSUPPORTED', 'no picture store'));
      const camera = (cameraId: string) =>
        authorityNow().then(
          (a) => guard.pictureRefusal(a, cameraId),
          () => ({ code: 'STORAGE' as const, message: 'the hub could not read its database; retry later' }),
        );
      ack(await handleMedia(msg, gatewayId, store, media, glog, camera));
    });

    socket.on('disconnect', (reason) => {
      // A replaced connection's end must not mark the gateway offline while its successor is on this node.
      if (!ns.adapter.rooms.get(`gw:${gatewayId}`)?.size) hooks.onConnection(gatewayId, false);
      glog.info({ reason }, 'gateway disconnected');
    });
  });
  return {
    ns,
    /** Delivers one command to the gateway's live connection; null if it has none or does not answer in time. */
    async sendCommand(gatewayId: string, cmd: Command): Promise<CommandReply | null> {
      // Through the room, so it reaches the gateway on whichever hub node holds it (the adapter carries the ack back).
      let replies: unknown[];
      try {
        replies = await ns.to(`gw:${gatewayId}`).timeout(COMMAND_ANSWER_MS).emitWithAck('command', cmd);
      } catch {
        // No answer in time: the caller keeps the command queued (null), as for a gateway that is offline.
        return null;
      }
      if (!replies.length) return null;
      const reply = replies[0];
      const checked = validators.commandReply.check(reply);
      if (checked.ok) return checked.value;
      log.warn({ gatewayId, command: cmd.id }, 'gateway answered a command with an invalid reply');
      return { ok: false, error: { code: 'INVALID_REPLY', message: 'the gateway answered with an invalid reply' } };
    },
    /** Writes pending refusal summaries to the audit log (the hub is stopping). */
    close(): void {
      guard.refusals.flush();
    },
    /** Cuts a revoked gateway's connection now (its handshake is refused from then on). */
    disconnect(gatewayId: string): void {
      ns.in(`gw:${gatewayId}`).disconnectSockets(true);
    },
  };
}

/** A gateway has this long to answer a command (a remote open or a snapshot takes seconds at most). */
const COMMAND_ANSWER_MS = 30_000;

function rejectInvalid(log: Logger, issues: ValidationIssue[], code: ErrorCode = 'INVALID_BATCH') {
  log.warn({ issues: issues.slice(0, 5) }, 'message rejected: invalid');
  return wire.failure(
    code,
    'message failed validation; nothing was stored',
    issues.slice(0, 20).map(({ field, message }) => ({ field, message })),
  );
}

/** A gateway may only deliver its own events. */
function checkOwnership(events: LinliEvent[], gatewayId: string) {
  const foreign = events.find((e) => e.gatewayId !== gatewayId);
  return foreign
    ? wire.failure('WRONG_GATEWAY', `event seq ${foreign.seq} claims gateway ${foreign.gatewayId}; nothing was stored`)
    : null;
}

function checkRanges(ranges: EvictedRange[]) {
  const bad = ranges.find((r) => r.toSeq < r.fromSeq);
  return bad
    ? wire.failure('INVALID_BATCH', `evicted range ${bad.fromSeq}..${bad.toSeq} is backwards; nothing was stored`)
    : null;
}
