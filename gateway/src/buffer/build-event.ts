import { defaultSeverity, EVENT_VERSION, type LinliEvent, priorityOf } from '@linli/contract';
import type { Pending } from './outbox-types.js';
import type { EventClass } from './overflow-counts.js';

/** The stored event for a checked draft: the envelope comes from the gateway, never from the driver. */
export function buildEvent(p: Pending, seq: number, id: string, gatewayId: string): LinliEvent {
  const { draft } = p;
  return {
    v: EVENT_VERSION,
    id,
    gatewayId,
    seq,
    deviceTime: Math.max(0, Math.round(draft.deviceTime)),
    receivedAt: p.receivedAt,
    deviceId: draft.deviceId,
    kind: draft.kind,
    severity: draft.severity ?? defaultSeverity[draft.kind],
    location: p.location,
    payload: draft.payload,
  } as LinliEvent;
}

/** Alarms are never evicted and refused last; everything else is telemetry. */
export function classOf(p: Pending): EventClass {
  return priorityOf(p.draft.severity ?? defaultSeverity[p.draft.kind]) === 'alarm' ? 'alarm' : 'telemetry';
}

/** About how many bytes a group will take once serialised (it is not serialised yet). */
export function estimateBytes(group: Pending[]): number {
  return group.reduce((n, p) => n + 320 + JSON.stringify(p.draft.payload).length, 0);
}
