import type { LinliEvent } from '@linli/contract';

export const RECENT_EVENTS = 50;
const PERIODIC = new Set(['meter.reading']);

export interface RecentEvent {
  seq: number;
  kind: string;
  severity: string;
  deviceId: string;
  receivedAt: number;
  /** The payload in one short line (payloads carry masked ids only, never personal data in clear). */
  summary: string;
}

/**
 * The last 50 events the gateway committed (periodic meter readings aside), for the
 * local page. In memory: the outbox forgets delivered events and the alarm
 * log keeps alarms only; this is what an installer wants to see right after
 * pressing a button on a device.
 */
export class RecentEvents {
  private ring: RecentEvent[] = [];

  record(events: LinliEvent[]): void {
    for (const e of events) {
      // Periodic readings would push everything else out within seconds; their values are in the device list.
      if (PERIODIC.has(e.kind)) continue;
      const p = e.kind === 'rule.alert' ? (e.payload as { text: string }).text : oneLine(e.payload);
      this.ring.push({
        seq: e.seq,
        kind: e.kind,
        severity: e.severity,
        deviceId: e.deviceId,
        receivedAt: e.receivedAt,
        summary: p.slice(0, 160),
      });
    }
    if (this.ring.length > RECENT_EVENTS) this.ring = this.ring.slice(-RECENT_EVENTS);
  }

  /** Newest first. */
  list(): RecentEvent[] {
    return [...this.ring].reverse();
  }
}

/** `floor=3 door=closed`: a payload as a person reads it, numbers to the milli-unit. */
function oneLine(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'number' ? Math.round(v * 1000) / 1000 : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
    )
    .join(' ');
}
