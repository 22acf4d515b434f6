import { type EventDraft, ID_PATTERN, LinliError, validators } from '@linli/contract';

const DEVICE_ID = new RegExp(ID_PATTERN);

/**
 * What a driver supplies is checked here; the rest of the envelope is built by
 * the outbox from validated config, so the whole-event schema need not run per event.
 */
export function checkDraft(d: EventDraft): string | null {
  const v = validators.payload[d.kind];
  if (!v) return `kind: unknown kind ${JSON.stringify(d.kind)}`;
  if (typeof d.deviceId !== 'string' || !DEVICE_ID.test(d.deviceId))
    return 'deviceId: must match the device id pattern';
  if (!Number.isFinite(d.deviceTime)) return 'deviceTime: must be a number';
  const r = v.check(d.payload);
  return r.ok ? null : r.issues.map((i) => `payload${i.field ? `.${i.field}` : ''} ${i.message}`).join('; ');
}

/** The buffer could not take an event: full of alarms, or the disk is full and nothing is left to evict. */
export class BufferFullError extends LinliError {
  readonly reason: 'capacity' | 'disk_full';
  constructor(reason: 'capacity' | 'disk_full', message: string, cause?: unknown) {
    super('BUFFER_FULL', message, cause === undefined ? undefined : { cause });
    this.reason = reason;
  }
}
