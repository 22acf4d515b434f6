import { type EventKind, type LinliEvent, priorityOf } from '@linli/contract';

/** What an incoming event means for alerts. */
export type AlarmRole =
  | { role: 'raise' }
  /** The source says its condition is over; `kind` is the alarm kind it ends. */
  | { role: 'clear'; kind: EventKind }
  | { role: 'none' };

/** An event of the key kind ends an open alert of the value kind from the same device. */
const CLEARS: Partial<Record<EventKind, EventKind>> = {
  'device.online': 'device.offline',
  'gateway.disk_ok': 'gateway.disk_full',
};

/**
 * Classifies one event. A payload with `active: false` (smoke, gas, tilt) ends
 * that kind's alarm whatever severity the driver gave it, so a mis-set
 * severity can never turn an "all clear" into a new alert.
 */
export function classify(e: LinliEvent): AlarmRole {
  const payload = e.payload as { active?: unknown };
  if (payload.active === false) return { role: 'clear', kind: e.kind };
  const cleared = CLEARS[e.kind];
  if (cleared) return { role: 'clear', kind: cleared };
  return priorityOf(e.severity) === 'alarm' ? { role: 'raise' } : { role: 'none' };
}
