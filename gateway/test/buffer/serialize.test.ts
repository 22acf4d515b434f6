import { createIdFactory, type LinliEvent, validators } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { serializeEvent } from '../../src/buffer/serialize.js';

const nextId = createIdFactory();
const base = {
  v: 1 as const,
  gatewayId: 'gw-341302001001',
  seq: 1,
  deviceTime: 1_790_000_000_000,
  receivedAt: 1_790_000_000_123,
  deviceId: 'meter-01',
  location: { lng: 117.012345, lat: 33.661, gridId: '341302001001001' },
};

describe('event serialisation', () => {
  it('parses back to exactly the event, for every shape of payload', () => {
    const events: LinliEvent[] = [
      {
        ...base,
        id: nextId(),
        kind: 'meter.reading',
        severity: 'info',
        payload: { medium: 'water', values: { total: 1.5e-7, flow: -3 }, units: { total: 'm³', flow: 'L/h' } },
      },
      { ...base, id: nextId(), kind: 'sos.call', severity: 'critical', payload: { household: '3号楼2单元"501"\\n' } },
      {
        ...base,
        id: nextId(),
        kind: 'device.offline',
        severity: 'warning',
        payload: { reason: 'timeout\u2028after 3 polls' },
      },
      { ...base, id: nextId(), kind: 'camera.tamper', severity: 'warning', payload: {} },
    ];
    for (const e of events) {
      const json = serializeEvent(e);
      expect(JSON.parse(json)).toEqual(e);
      expect(validators.event.check(JSON.parse(json)).ok).toBe(true);
    }
  });

  it('is not fooled by a location object reused across events', () => {
    const a = { ...base, id: nextId(), kind: 'sos.call' as const, severity: 'critical' as const, payload: {} };
    const b = { ...a, id: nextId(), seq: 2 };
    expect(JSON.parse(serializeEvent(a)).location).toEqual(JSON.parse(serializeEvent(b)).location);
    expect(JSON.parse(serializeEvent(b)).seq).toBe(2);
  });
});
