import type { EventKind } from '@linli/contract';
import type { EventRule } from './definition.js';

/**
 * Capability factories: small rules a definition combines. Each returns an
 * EventRule; a device type is the sum of its points and these.
 */

/**
 * A `meter.reading` with the named points every poll. For each `cumulative`
 * register (energy, volume) the consumption since the previous reading is
 * added as `<name>Delta`, so the hub and the care rules see use, not just
 * totals. A register that went backwards (meter replaced, rolled over) gets no
 * delta rather than a negative one.
 */
export function meterReading(
  medium: 'electricity' | 'water' | 'gas' | 'heat',
  points: string[],
  cumulative: string[] = [],
): EventRule {
  return ({ deviceId, now, values, previous, units }) => {
    const picked: Record<string, number> = {};
    const pickedUnits: Record<string, string> = {};
    for (const p of points) {
      const v = values[p];
      if (v === undefined || !Number.isFinite(v)) continue;
      picked[p] = v;
      if (units[p]) pickedUnits[p] = units[p];
    }
    for (const p of cumulative) {
      const v = values[p];
      const before = previous?.[p];
      if (v === undefined || before === undefined || !Number.isFinite(v) || !Number.isFinite(before) || v < before)
        continue;
      picked[`${p}Delta`] = Math.round((v - before) * 1e6) / 1e6;
      if (units[p]) pickedUnits[`${p}Delta`] = units[p];
    }
    if (Object.keys(picked).length === 0) return [];
    return [
      {
        kind: 'meter.reading',
        deviceId,
        deviceTime: now,
        payload: { medium, values: picked, units: pickedUnits },
      },
    ];
  };
}

type ActiveKind = Extract<EventKind, 'smoke.alarm' | 'gas.alarm' | 'tilt.alarm'>;

/**
 * An alarm that is raised when a digital point goes 0→1 and cleared on 1→0.
 * The first poll after start reports an already-active alarm too (it may have
 * begun while the gateway was down) but not an inactive one.
 */
export function activeAlarm(point: string, kind: ActiveKind): EventRule {
  return ({ deviceId, now, values, previous }) => {
    const cur = values[point];
    if (cur === undefined) return [];
    const before = previous?.[point];
    if (before === cur || (before === undefined && cur === 0)) return [];
    const active = cur !== 0;
    return [{ kind, deviceId, deviceTime: now, severity: active ? 'critical' : 'notice', payload: { active } }];
  };
}

/** A one-key call button: a `sos.call` on each press (rising edge). */
export function sosOnPress(point: string): EventRule {
  return ({ deviceId, now, values, previous }) =>
    values[point] === 1 && previous?.[point] !== 1
      ? [{ kind: 'sos.call', deviceId, deviceTime: now, payload: {} }]
      : [];
}
