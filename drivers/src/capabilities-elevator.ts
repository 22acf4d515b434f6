import type { EventRule } from './definition.js';

/** GB/T 24476 direction codes as the monitor reports them: 0 stopped, 1 up, 2 down. */
const DIRECTION = ['stopped', 'up', 'down'] as const;

/**
 * `elevator.status` whenever floor, direction, door, running state or fault
 * code changes (and on the first poll), so the hub sees every movement but not
 * a reading per poll while the car stands still.
 */
export function elevatorStatus(p: {
  floor: string;
  direction: string;
  door: string;
  running: string;
  faultCode: string;
}): EventRule {
  const keys = Object.values(p);
  return ({ deviceId, now, values, previous }) => {
    if (previous && keys.every((k) => values[k] === previous[k])) return [];
    const floor = values[p.floor];
    const dir = DIRECTION[values[p.direction] ?? -1];
    if (floor === undefined || !Number.isInteger(floor) || dir === undefined) return [];
    return [
      {
        kind: 'elevator.status',
        deviceId,
        deviceTime: now,
        payload: {
          floor,
          direction: dir,
          door: values[p.door] ? 'open' : 'closed',
          running: Boolean(values[p.running]),
          faultCode: Math.max(0, Math.min(65535, Math.round(values[p.faultCode] ?? 0))),
        },
      },
    ];
  };
}

/**
 * `elevator.entrapment` (critical) when the trapped-passenger signal rises; the
 * rule remembers when, so a later poll can report how long people were trapped.
 */
export function entrapmentAlarm(trapped: string, floor: string): EventRule {
  return ({ deviceId, now, values, previous, memory }) => {
    const on = values[trapped] === 1;
    const was = previous?.[trapped] === 1;
    if (on && !was) {
      memory.trappedSince = now;
      return [
        {
          kind: 'elevator.entrapment',
          deviceId,
          deviceTime: now,
          payload: { floor: Math.round(values[floor] ?? 0), trappedSeconds: 0 },
        },
      ];
    }
    if (!on) delete memory.trappedSince;
    return [];
  };
}

/** `elevator.fault` when the fault code changes to a non-zero code. */
export function faultCodeAlarm(faultCode: string): EventRule {
  return ({ deviceId, now, values, previous }) => {
    const code = Math.round(values[faultCode] ?? 0);
    if (code <= 0 || code > 65535 || code === Math.round(previous?.[faultCode] ?? 0)) return [];
    return [{ kind: 'elevator.fault', deviceId, deviceTime: now, payload: { faultCode: code } }];
  };
}
