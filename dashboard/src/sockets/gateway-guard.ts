import type { DeclaredDevice, DeviceRefusal, Hello, LinliEvent, RejectedEvent, WireError } from '@linli/contract';
import type { Logger } from '../log.js';
import { type DeviceDiff, GatewayDevices } from '../store/gateway-devices.js';
import type { HubStore } from '../store/hub-store.js';
import { GatewayAuthority } from './gateway-authority.js';
import { type AuditQueue, enqueueSafely, RefusalAudit } from './refusal-audit.js';

/** Devices listed per audit entry field; the counts beside them are always exact. */
const MAX_LISTED = 500;

export interface HelloOutcome {
  authority: GatewayAuthority;
  devices?: { changed: boolean; refused: DeviceRefusal[] };
}

/**
 * Holds a gateway to what it was enrolled for: its area and the devices it
 * declared. A declaration arrives with `hello`; devices whose grid lies outside
 * the area are refused (and audited), the rest become the gateway's list at
 * once, and any change is audited as a provisioning act with the old/new diff.
 * Events, live alarms and pictures are then judged against that list.
 * (Decision, docs/protocol.md "Authority": in-area changes need no operator's
 * approval, so a smoke detector an installer adds raises alarms the same day;
 * the area boundary is the part a stolen token cannot cross.)
 */
export class GatewayGuard {
  private readonly devices: GatewayDevices;
  readonly refusals: RefusalAudit;

  constructor(
    private readonly store: HubStore,
    private readonly audit: AuditQueue | undefined,
    private readonly log: Logger,
  ) {
    this.devices = new GatewayDevices(store.db);
    this.refusals = new RefusalAudit(audit, log.child({ part: 'authority' }));
  }

  /** A device id listed twice in a declaration (refused whole: which entry would be meant?), or null. */
  static duplicateDevice(devices: { id: string }[] = []): string | null {
    const seen = new Set<string>();
    for (const d of devices) {
      if (seen.has(d.id)) return d.id;
      seen.add(d.id);
    }
    return null;
  }

  /** The gateway's authority as the database has it now. */
  async load(gatewayId: string): Promise<GatewayAuthority> {
    const [gw, { declared, devices }] = await Promise.all([
      this.store.gateway(gatewayId),
      this.devices.load(gatewayId),
    ]);
    return new GatewayAuthority(gatewayId, gw?.areaCode ?? null, declared, devices);
  }

  /** Stores a declared device list (if the hello carries one) and returns the connection's authority. */
  async hello(gatewayId: string, msg: Hello, watermark: number): Promise<HelloOutcome> {
    const before = await this.load(gatewayId);
    if (!msg.devices) return { authority: before };
    const noArea = before.gatewayRefusal()?.code === 'GATEWAY_NO_AREA';
    const refused: DeviceRefusal[] = [];
    const accepted: DeclaredDevice[] = [];
    for (const d of msg.devices) {
      const why = noArea ? noAreaRefusal(d, before) : before.checkDeclared(d);
      if (why) refused.push(why);
      else accepted.push(d);
    }
    for (const r of refused)
      this.refusals.refused(
        {
          gatewayId,
          areaCode: before.areaCode,
          lane: 'hello',
          code: r.code,
          sample: { deviceId: r.deviceId, gridId: msg.devices.find((d) => d.id === r.deviceId)?.gridId ?? null },
        },
        1,
      );
    // Without an area nothing can be declared: the list on record stays as it was.
    if (noArea) return { authority: before, devices: { changed: false, refused } };
    // The usual reconnect: the same list again. Nothing to write.
    if (before.declared && before.lists(accepted)) return { authority: before, devices: { changed: false, refused } };
    const diff = await this.devices.declare(gatewayId, accepted, msg.lastSeq ?? watermark, Date.now());
    const changed = diff.added.length + diff.removed.length + diff.changed.length > 0;
    if (changed) this.auditDiff(gatewayId, before.areaCode, diff, accepted.length);
    return { authority: await this.load(gatewayId), devices: { changed, refused } };
  }

  /** Splits events into those the gateway may send and those refused; audits the refused ones. */
  judge(
    authority: GatewayAuthority,
    events: LinliEvent[],
    lane: 'events' | 'live',
  ): { failure: WireError } | { accepted: LinliEvent[]; rejected: RejectedEvent[] } {
    const failure = authority.gatewayRefusal();
    if (failure) {
      this.refusals.refused(
        { gatewayId: authority.gatewayId, areaCode: authority.areaCode, lane, code: failure.code, sample: {} },
        events.length,
      );
      return { failure };
    }
    const accepted: LinliEvent[] = [];
    const rejected: RejectedEvent[] = [];
    for (const e of events) {
      const why = authority.checkEvent(e);
      if (why) rejected.push(why);
      else accepted.push(e);
    }
    return { accepted, rejected };
  }

  /** Audits refused events (rate-limited): per code, the first refused event's particulars and how many. */
  auditRejected(authority: GatewayAuthority, events: LinliEvent[], rejected: RejectedEvent[], lane: 'events' | 'live') {
    const byCode = new Map<string, RejectedEvent[]>();
    for (const r of rejected) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    for (const [code, list] of byCode) {
      const first = list[0]!;
      const e = events.find((x) => x.seq === first.seq);
      this.refusals.refused(
        {
          gatewayId: authority.gatewayId,
          areaCode: authority.areaCode,
          lane,
          code,
          sample: {
            seq: first.seq,
            deviceId: first.deviceId,
            kind: e?.kind ?? null,
            gridId: e?.location.gridId ?? null,
          },
        },
        list.length,
      );
    }
  }

  /** Why a picture from `cameraId` may not be stored, or null; audited (rate-limited). */
  pictureRefusal(authority: GatewayAuthority, cameraId: string): WireError | null {
    const why: WireError | null =
      authority.gatewayRefusal() ??
      (authority.hasCurrentDevice(cameraId)
        ? null
        : {
            code: 'DEVICE_UNDECLARED',
            message: `摄像机 ${cameraId} 未由该网关申报 (camera not declared by this gateway; picture not stored)`,
          });
    if (why)
      this.refusals.refused(
        {
          gatewayId: authority.gatewayId,
          areaCode: authority.areaCode,
          lane: 'media',
          code: why.code,
          sample: { cameraId },
        },
        1,
      );
    return why;
  }

  private auditDiff(gatewayId: string, areaCode: string | null, diff: DeviceDiff, total: number): void {
    const fmt = (d: DeclaredDevice) => `${d.id} ${d.type} ${d.gridId}`;
    const list = (items: string[]) =>
      items.slice(0, MAX_LISTED).join('; ') + (items.length > MAX_LISTED ? `; … +${items.length - MAX_LISTED}` : '');
    this.log.info(
      { gatewayId, added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length },
      'gateway declared a changed device list',
    );
    enqueueSafely(
      this.audit,
      {
        userId: gatewayId,
        role: 'system',
        action: 'gateway:devices-declared',
        target: { type: 'gateway', id: gatewayId },
        outcome: 'ok',
        areaCode,
        detail: {
          devices: total,
          addedCount: diff.added.length,
          removedCount: diff.removed.length,
          changedCount: diff.changed.length,
          added: list(diff.added.map(fmt)),
          removed: list(diff.removed.map(fmt)),
          changed: list(diff.changed.map((c) => `${fmt(c.before)} → ${c.after.type} ${c.after.gridId}`)),
        },
      },
      this.log,
    );
  }
}

function noAreaRefusal(d: DeclaredDevice, a: GatewayAuthority): DeviceRefusal {
  return { deviceId: d.id, code: 'GATEWAY_NO_AREA', message: a.gatewayRefusal()!.message };
}
