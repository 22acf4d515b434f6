import { describe, expect, it } from 'vitest';
import { inactivityWatch } from '../src/capabilities-care.js';
import { elevatorStatus, entrapmentAlarm, faultCodeAlarm } from '../src/capabilities-elevator.js';
import type { DeviceOptions, PointValues } from '../src/definition.js';

function runner(rule: ReturnType<typeof inactivityWatch>, options: DeviceOptions = {}) {
  const memory: Record<string, number> = {};
  let previous: PointValues | null = null;
  return (now: number, values: PointValues) => {
    const out = rule({ deviceId: 'd1', now, values, previous, units: {}, memory, options });
    previous = values;
    return out;
  };
}

const lift = (floor: number, direction: number, door: number, running: number, faultCode = 0, trapped = 0) => ({
  floor,
  direction,
  door,
  running,
  faultCode,
  trapped,
});
const P = { floor: 'floor', direction: 'direction', door: 'door', running: 'running', faultCode: 'faultCode' };

describe('elevator capabilities (GB/T 24476 data items)', () => {
  it('reports status on the first poll and on every change, not while the car stands still', () => {
    const poll = runner(elevatorStatus(P));
    expect(poll(1, lift(3, 0, 1, 0))[0]).toMatchObject({
      kind: 'elevator.status',
      payload: { floor: 3, direction: 'stopped', door: 'open', running: false, faultCode: 0 },
    });
    expect(poll(2, lift(3, 0, 1, 0))).toEqual([]);
    expect(poll(3, lift(4, 1, 0, 1))[0]).toMatchObject({
      payload: { floor: 4, direction: 'up', door: 'closed', running: true },
    });
    expect(poll(4, lift(4, 7, 0, 1))).toEqual([]); // an unknown direction code is not turned into an event
  });

  it('raises entrapment once when the trapped signal rises', () => {
    const poll = runner(entrapmentAlarm('trapped', 'floor'));
    expect(poll(1, lift(9, 0, 0, 0, 0x31, 0))).toEqual([]);
    expect(poll(2, lift(9, 0, 0, 0, 0x31, 1))).toEqual([
      { kind: 'elevator.entrapment', deviceId: 'd1', deviceTime: 2, payload: { floor: 9, trappedSeconds: 0 } },
    ]);
    expect(poll(3, lift(9, 0, 0, 0, 0x31, 1))).toEqual([]);
  });

  it('raises a fault when the code changes to a non-zero value', () => {
    const poll = runner(faultCodeAlarm('faultCode'));
    expect(poll(1, lift(1, 0, 0, 0, 0))).toEqual([]);
    expect(poll(2, lift(1, 0, 0, 0, 0x31))[0]).toMatchObject({ kind: 'elevator.fault', payload: { faultCode: 0x31 } });
    expect(poll(3, lift(1, 0, 0, 0, 0x31))).toEqual([]);
  });
});

describe('care watch (lone elder meter)', () => {
  const H = 3_600_000;
  it('raises meter.inactive once after the configured quiet hours, and again only after use resumes', () => {
    const poll = runner(inactivityWatch('total', 'water'), { inactivityHours: 12 });
    expect(poll(0, { total: 10 })).toEqual([]);
    expect(poll(11 * H, { total: 10 })).toEqual([]);
    const [alert] = poll(12 * H + 1, { total: 10 });
    expect(alert).toMatchObject({
      kind: 'meter.inactive',
      payload: { medium: 'water', quietHours: 12, lastChangeAt: 0 },
    });
    expect(poll(13 * H, { total: 10 })).toEqual([]);
    expect(poll(14 * H, { total: 10.2 })).toEqual([]); // water used: the clock restarts
    expect(poll(26 * H + 1, { total: 10.2 })[0]).toMatchObject({ payload: { lastChangeAt: 14 * H } });
  });

  it('stays silent on meters nobody asked it to watch', () => {
    const poll = runner(inactivityWatch('total', 'water'));
    poll(0, { total: 1 });
    expect(poll(100 * H, { total: 1 })).toEqual([]);
  });
});
