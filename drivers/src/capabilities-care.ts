import type { EventRule } from './definition.js';

/**
 * The care scenario: a lone elder's meter that shows no consumption for the
 * configured hours raises one `meter.inactive` (warning) until it moves again.
 * Active only on devices whose config sets `inactivityHours`. The quiet clock
 * starts at the gateway's first reading, so a restart delays an alert rather
 * than inventing one.
 */
export function inactivityWatch(point: string, medium: 'electricity' | 'water' | 'gas' | 'heat'): EventRule {
  return ({ deviceId, now, values, memory, options }) => {
    const hours = options.inactivityHours;
    const v = values[point];
    if (!hours || v === undefined || !Number.isFinite(v)) return [];
    if (memory.lastValue === undefined || v !== memory.lastValue) {
      memory.lastValue = v;
      memory.lastChangeAt = now;
      delete memory.reported;
      return [];
    }
    const quietMs = now - (memory.lastChangeAt ?? now);
    if (memory.reported || quietMs < hours * 3_600_000) return [];
    memory.reported = 1;
    return [
      {
        kind: 'meter.inactive',
        deviceId,
        deviceTime: now,
        payload: {
          medium,
          quietHours: Math.round((quietMs / 3_600_000) * 10) / 10,
          lastChangeAt: memory.lastChangeAt!,
        },
      },
    ];
  };
}
