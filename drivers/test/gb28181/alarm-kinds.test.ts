import { describe, expect, it } from 'vitest';
import { eventForAlarm } from '../../src/gb28181/devices/alarm-kinds.js';
import type { AlarmNotify } from '../../src/gb28181/manscdp-messages.js';

const at = new Date('2026-12-02T09:00:00Z');
const alarm = (method: AlarmNotify['method'], alarmType?: number, description = ''): AlarmNotify => ({
  deviceId: '34020000001320000002',
  priority: 2,
  method,
  time: at,
  description,
  ...(alarmType !== undefined ? { alarmType } : {}),
});

describe('GB/T 28181 alarms as Linli events', () => {
  it.each([
    [5, 2, 'camera.motion'],
    [5, 6, 'camera.motion'],
    [5, 8, 'camera.motion'],
    [5, 11, 'camera.tamper'],
    [2, 1, 'camera.tamper'],
    [2, 2, 'camera.tamper'],
    [5, 3, 'camera.thrown_object'],
    [5, 9, 'rule.alert'],
    [6, 1, 'rule.alert'],
  ] as const)('method %i type %i → %s', (method, type, kind) => {
    const e = eventForAlarm(alarm(method, type), 'cam-1', '北门');
    expect(e).toMatchObject({ kind, deviceId: 'cam-1', deviceTime: at.getTime() });
  });

  it('keeps an unmapped alarm visible with its method, channel and description, within the payload limits', () => {
    const e = eventForAlarm(alarm(1, undefined, '住户按下求助'.repeat(100)), 'cam-1', '北门');
    expect(e.kind).toBe('rule.alert');
    expect(e.payload).toMatchObject({
      rule: 'gb28181-alarm',
      text: expect.stringMatching(/^国标电话报警：北门，住户按下求助/),
    });
    expect((e.payload as { text: string }).text.length).toBe(500);
    expect(eventForAlarm(alarm(5, 2), 'cam-1', '很长的通道名'.repeat(20)).payload).toMatchObject({
      region: expect.stringMatching(/^很长的通道名/),
    });
    expect((eventForAlarm(alarm(5, 2), 'cam-1', 'x'.repeat(99)).payload as { region: string }).region).toHaveLength(64);
  });

  it('uses the receive time when the camera sent no usable AlarmTime', () => {
    const before = Date.now();
    const e = eventForAlarm({ ...alarm(5, 2), time: new Date(0) }, 'cam-1', '北门');
    expect(e.deviceTime).toBeGreaterThanOrEqual(before);
  });
});
