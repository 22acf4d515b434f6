import {
  can,
  type Command,
  type CommandName,
  type CommandReply,
  DEVICE_COMMANDS,
  inScope,
  type Permission,
  type Viewer,
} from '@linli/contract';
import { ulid } from 'ulidx';
import { ApiError, forbidden, notFound } from '../api/api-error.js';
import type { AuditSink } from '../auth/audit-sink.js';
import type { Logger } from '../log.js';
import type { HubStore } from '../store/hub-store.js';
import type { SqlDb } from '../store/sql/sql-db.js';
import { type CommandRecord, CommandStore } from './command-store.js';

/** Sends one command to a connected gateway; null when it is not connected or did not answer in time. */
export type CommandLink = (gatewayId: string, cmd: Command) => Promise<CommandReply | null>;

/** Device commands need `command`; gateway-wide ones (flows, diagnostics) need `provision`. */
function permissionFor(name: CommandName): Permission {
  return DEVICE_COMMANDS.has(name) ? 'command' : 'provision';
}

const DEFAULT_TTL_S = 120;
const MAX_TTL_S = 24 * 3600;

/**
 * Hub → gateway commands: checked against the issuer's role and area, queued
 * durably, delivered when the gateway is (or comes back) online, answered or
 * expired, and audited at every step with who asked.
 */
export class CommandService {
  readonly store: CommandStore;
  private link: CommandLink | null = null;

  constructor(
    db: SqlDb,
    private readonly hub: HubStore,
    private readonly audit: AuditSink,
    private readonly log: Logger,
    private readonly onChange: (r: CommandRecord) => void = () => {},
  ) {
    this.store = new CommandStore(db);
  }

  attach(link: CommandLink): void {
    this.link = link;
  }

  /** The gateways a viewer may see or command: those whose area lies inside the viewer's. */
  async gatewayInScope(viewer: Viewer, gatewayId: string): Promise<boolean> {
    const gw = await this.hub.gateway(gatewayId);
    return !!gw && !gw.revoked && gw.areaCode !== null && inScope(viewer.areaCode, gw.areaCode);
  }

  async issue(
    viewer: Viewer,
    req: {
      gatewayId: string;
      deviceId?: string;
      name: CommandName;
      args: Record<string, unknown>;
      ttlSeconds?: number;
    },
    now: number,
  ): Promise<CommandRecord> {
    const who = {
      userId: viewer.userId,
      role: viewer.role,
      action: `command:${req.name}`,
      targetType: 'gateway',
      targetId: req.gatewayId,
    };
    if (!can(viewer.role, permissionFor(req.name))) {
      this.audit.record({ ...who, outcome: 'denied', detail: 'role' });
      throw forbidden(`发送 ${req.name} 指令`);
    }
    if (!(await this.gatewayInScope(viewer, req.gatewayId))) {
      this.audit.record({ ...who, outcome: 'denied', detail: 'out of area or unknown gateway' });
      throw notFound(`网关 ${req.gatewayId}`);
    }
    if (DEVICE_COMMANDS.has(req.name) && !req.deviceId)
      throw new ApiError(400, 'DEVICE_REQUIRED', `${req.name} 指令须指定设备 (deviceId is required)`);
    const ttl = Math.min(req.ttlSeconds ?? DEFAULT_TTL_S, MAX_TTL_S);
    const cmd: Command = {
      id: ulid(now),
      name: req.name,
      ...(req.deviceId ? { deviceId: req.deviceId } : {}),
      args: req.args,
      issuedBy: viewer.userId,
      issuedAt: now,
      expiresAt: now + ttl * 1000,
    };
    await this.store.add(req.gatewayId, cmd, now);
    this.audit.record({
      ...who,
      outcome: 'ok',
      detail: `queued ${cmd.id}${req.deviceId ? ` for ${req.deviceId}` : ''}`,
    });
    const queued = (await this.store.get(cmd.id))!;
    void this.deliver(req.gatewayId, now).catch((err: unknown) =>
      this.log.warn({ gatewayId: req.gatewayId, command: cmd.id, err: String(err) }, 'command delivery failed'),
    );
    return queued;
  }

  /**
   * Sends what is pending for a gateway (called on issue and whenever the
   * gateway connects). Each command is claimed first (queued → sent, a
   * conditional UPDATE): of two hub nodes delivering at once, one sends it.
   */
  async deliver(gatewayId: string, now = Date.now()): Promise<void> {
    if (!this.link) return;
    for (const cmd of await this.store.pending(gatewayId, now)) {
      if (!(await this.store.claim(cmd.id, now))) continue;
      let reply: CommandReply | null;
      try {
        reply = await this.link(gatewayId, cmd);
      } catch (err) {
        this.log.warn({ gatewayId, command: cmd.id, err: String(err) }, 'command not delivered');
        reply = null;
      }
      if (!reply) {
        // Not connected or no answer: it goes back to the queue and is retried on the next connect.
        await this.store.release(cmd.id, Date.now());
        this.log.info({ gatewayId, command: cmd.id }, 'command waiting for the gateway');
        return;
      }
      await this.finish(gatewayId, cmd, reply);
    }
  }

  private async finish(gatewayId: string, cmd: Command, reply: CommandReply): Promise<void> {
    const now = Date.now();
    const changed = reply.ok
      ? await this.store.transition(cmd.id, 'done', now, { result: reply.result })
      : await this.store.transition(cmd.id, 'failed', now, { error: reply.error });
    if (!changed) return;
    this.audit.record({
      userId: cmd.issuedBy,
      role: '-',
      action: `command:${cmd.name}:answer`,
      targetType: 'gateway',
      targetId: gatewayId,
      outcome: reply.ok ? 'ok' : 'error',
      detail: reply.ok ? cmd.id : `${cmd.id} ${reply.error.code}`,
    });
    this.onChange((await this.store.get(cmd.id))!);
  }

  /** Expires overdue commands; returns how many this node expired (each command is expired by one node). */
  async tick(now: number): Promise<number> {
    const expired = await this.store.expire(now);
    for (const r of expired) {
      this.audit.record({
        userId: r.command.issuedBy,
        role: '-',
        action: `command:${r.command.name}:expired`,
        targetType: 'gateway',
        targetId: r.gatewayId,
        outcome: 'error',
        detail: r.command.id,
      });
      this.onChange(r);
    }
    return expired.length;
  }

  async get(viewer: Viewer, id: string): Promise<CommandRecord> {
    const r = await this.store.get(id);
    if (!r || !(await this.gatewayInScope(viewer, r.gatewayId))) throw notFound(`指令 ${id}`);
    return r;
  }
}
