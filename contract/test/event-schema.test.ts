import { describe, expect, it } from 'vitest';
import { createIdFactory, EVENT_KINDS, type LinliEvent, validators } from '../src/index.js';

const nextId = createIdFactory();
function event(over: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    v: 1,
    id: nextId(),
    gatewayId: 'gw-341302001001',
    seq: 1,
    deviceTime: 1_790_000_000_000,
    receivedAt: 1_790_000_000_100,
    deviceId: 'lift-01',
    kind: 'elevator.entrapment',
    severity: 'critical',
    location: { lng: 116.98, lat: 33.64, gridId: '341302001001001' },
    payload: { floor: 7, trappedSeconds: 45 },
    ...over,
  };
}

describe('event schema', () => {
  it('accepts a well-formed event', () => {
    const r = validators.event.check(event());
    expect(r.ok).toBe(true);
  });

  it('names the payload field that is wrong, for the branch that kind selects', () => {
    const r = validators.event.check(event({ payload: { floor: 'seven', trappedSeconds: 45 } }));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toEqual([{ field: 'payload.floor', message: 'must be integer', path: ['payload', 'floor'] }]);
  });

  it('rejects unknown kinds by naming the kind field', () => {
    const r = validators.event.check(event({ kind: 'elevator.teleport' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field)).toEqual(['kind']);
  });

  it('rejects fields nobody declared, in the envelope and in payloads', () => {
    const r = validators.event.check(event({ extra: 1, payload: { floor: 1, trappedSeconds: 0, name: '张三' } }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field).sort()).toEqual(['extra', 'payload.name']);
  });

  it('checks the envelope: sequence, id format, coordinates, grid code, severity', () => {
    const r = validators.event.check(
      event({
        seq: 0,
        id: 'not-a-ulid',
        severity: 'apocalyptic',
        location: { lng: 200, lat: 33.6, gridId: '12' },
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.field).sort()).toEqual(['id', 'location.gridId', 'location.lng', 'seq', 'severity']);
      expect(r.issues.find((i) => i.field === 'severity')?.message).toContain('"critical"');
    }
  });

  it('has a payload schema for every kind that rejects an empty object where fields are required', () => {
    const optionalOnly = new Set([
      'camera.motion',
      'camera.tamper',
      'camera.thrown_object',
      'sos.call',
      'device.online',
    ]);
    for (const kind of EVENT_KINDS) {
      const r = validators.event.check(event({ kind, payload: {} }));
      expect(r.ok, kind).toBe(optionalOnly.has(kind));
    }
  });

  it('bounds a batch and reports the index of the bad event', () => {
    const good = event() as unknown as LinliEvent;
    const bad = event({ seq: 2, payload: { floor: 1 } });
    const r = validators.eventBatch.check({ events: [good, bad] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.field).toBe('events[1].payload.trappedSeconds');
    const tooMany = validators.eventBatch.check({ events: Array.from({ length: 1001 }, () => good) });
    expect(tooMany.ok).toBe(false);
    // An empty list is valid on the wire (a batch may carry only evicted ranges); the hub refuses a batch with neither.
    expect(validators.eventBatch.check({ events: [], evicted: [{ fromSeq: 1, toSeq: 5 }] }).ok).toBe(true);
    expect(validators.eventBatch.check({ events: [], evicted: [{ fromSeq: 0, toSeq: 5 }] }).ok).toBe(false);
  });

  it('makes ids that sort in creation order', () => {
    const ids = Array.from({ length: 1000 }, () => nextId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});
