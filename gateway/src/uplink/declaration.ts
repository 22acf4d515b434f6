import type { DeclaredDevice, Hello, HelloReply, RejectedEvent } from '@linli/contract';
import type { DeviceEntry } from '../config/schema.js';
import type { Logger } from '../log.js';

/**
 * The devices this gateway declares to the hub (id, type, grid), from its
 * config. The hub accepts events only from declared devices in grids of the
 * gateway's enrolled area, and audits every change of this list.
 */
export function declaredDevices(entries: readonly DeviceEntry[]): DeclaredDevice[] {
  return entries.map((d) => ({ id: d.id, type: d.type, gridId: d.location.gridId }));
}

/**
 * The `hello` message: the declaration (when the gateway has one) and the
 * newest sequence now, up to which devices it no longer lists still own
 * events of its backlog. Without a declaration the hub keeps its list.
 */
export function helloMessage(devices: DeclaredDevice[] | undefined, lastSeq: number): Hello {
  return devices ? { devices, lastSeq } : {};
}

/** Says loudly which declared devices the hub refused (their events will be refused too). */
export function reportDeclaration(reply: Extract<HelloReply, { ok: true }>, log: Logger): void {
  const refused = reply.devices?.refused ?? [];
  for (const r of refused.slice(0, 20))
    log.error({ device: r.deviceId, code: r.code }, `hub refused a declared device: ${r.message}`);
  if (refused.length > 20) log.error({ more: refused.length - 20 }, 'hub refused more declared devices');
  if (reply.devices?.changed) log.info('hub recorded a changed device list');
}

/**
 * Events the hub refused for authority (grid outside the area, undeclared
 * device): it acknowledged their sequences, so they leave the buffer like
 * delivered ones. One line per batch; they are a configuration fault to fix.
 */
export function reportRejected(rejected: RejectedEvent[] | undefined, lane: 'events' | 'live', log: Logger): void {
  if (!rejected?.length) return;
  const first = rejected[0]!;
  log.error(
    { lane, count: rejected.length, seq: first.seq, device: first.deviceId, code: first.code },
    `hub refused events of this gateway: ${first.message}`,
  );
}
