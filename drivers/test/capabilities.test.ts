import { describe, expect, it } from 'vitest';
import { activeAlarm, meterReading, sosOnPress } from '../src/capabilities.js';

const ctx = (values: Record<string, number>, previous: Record<string, number> | null) => ({
  deviceId: 'd1',
  now: 1000,
  values,
  previous,
  units: { e: 'kWh' },
  memory: {},
  options: {},
});

describe('capability rules', () => {
  it('meterReading skips points that did not decode', () => {
    const [ev] = meterReading('electricity', ['e', 'missing', 'nan'])(ctx({ e: 12.5, nan: Number.NaN }, null));
    expect(ev).toEqual({
      kind: 'meter.reading',
      deviceId: 'd1',
      deviceTime: 1000,
      payload: { medium: 'electricity', values: { e: 12.5 }, units: { e: 'kWh' } },
    });
  });

  it('activeAlarm raises on 0→1, clears on 1→0, stays quiet otherwise', () => {
    const rule = activeAlarm('smoke', 'smoke.alarm');
    expect(rule(ctx({ smoke: 0 }, null))).toEqual([]);
    expect(rule(ctx({ smoke: 1 }, null))[0]).toMatchObject({
      kind: 'smoke.alarm',
      severity: 'critical',
      payload: { active: true },
    });
    expect(rule(ctx({ smoke: 1 }, { smoke: 1 }))).toEqual([]);
    expect(rule(ctx({ smoke: 0 }, { smoke: 1 }))[0]).toMatchObject({
      severity: 'notice',
      payload: { active: false },
    });
  });

  it('sosOnPress fires once per press', () => {
    const rule = sosOnPress('b');
    expect(rule(ctx({ b: 1 }, { b: 0 }))).toHaveLength(1);
    expect(rule(ctx({ b: 1 }, { b: 1 }))).toHaveLength(0);
    expect(rule(ctx({ b: 0 }, { b: 1 }))).toHaveLength(0);
  });

  it('meterReading adds consumption since the previous reading, never a negative one', () => {
    const rule = meterReading('electricity', ['e'], ['e']);
    expect(rule(ctx({ e: 10 }, null))[0]?.payload).toEqual({
      medium: 'electricity',
      values: { e: 10 },
      units: { e: 'kWh' },
    });
    expect(rule(ctx({ e: 12.5 }, { e: 10 }))[0]?.payload).toEqual({
      medium: 'electricity',
      values: { e: 12.5, eDelta: 2.5 },
      units: { e: 'kWh', eDelta: 'kWh' },
    });
    expect(rule(ctx({ e: 3 }, { e: 12.5 }))[0]?.payload).toEqual({
      medium: 'electricity',
      values: { e: 3 },
      units: { e: 'kWh' },
    });
  });
});
