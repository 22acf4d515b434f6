import type { LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { EventRing } from './event-store.js';
import { PULSE_MS } from './layers/live-events-layer.js';

const event = (id: string, seq: number): LinliEvent =>
  ({
    v: 1,
    id,
    gatewayId: 'gw-1',
    seq,
    deviceTime: seq,
    receivedAt: seq,
    deviceId: 'smoke-01',
    kind: 'smoke.alarm',
    severity: 'critical',
    location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
    payload: { active: true },
  }) as LinliEvent;

describe('EventRing', () => {
  it('returns only events it has not seen, so a catch-up never doubles a dot', () => {
    const r = new EventRing(10);
    expect(r.add([event('a', 1), event('b', 2)], 100).map((e) => e.id)).toEqual(['a', 'b']);
    expect(r.add([event('b', 2), event('c', 3)], 200).map((e) => e.id)).toEqual(['c']);
    expect(r.all().map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(r.arrivedAt.get('b')).toBe(100);
  });

  it('dates a catch-up event from when the hub received it, never later than now, so old ones do not pulse as new', () => {
    const r = new EventRing(10);
    const now = 10 * PULSE_MS;
    r.add(
      [
        event('old', 1),
        { ...event('just', 2), receivedAt: now - 5_000 },
        { ...event('ahead', 3), receivedAt: now + 9_000 },
      ],
      now,
      true,
    );
    expect(now - r.arrivedAt.get('old')!).toBeGreaterThan(PULSE_MS);
    expect(r.arrivedAt.get('just')).toBe(now - 5_000);
    expect(r.arrivedAt.get('ahead')).toBe(now); // the hub's clock ahead of the page's: never in the page's future
    r.add([event('live', 4)], now + 1);
    expect(r.arrivedAt.get('live')).toBe(now + 1); // pushed live: arrives now, whatever its receivedAt says
  });

  it('keeps at most its capacity, forgetting the oldest (and may then take it again)', () => {
    const r = new EventRing(2);
    r.add([event('a', 1), event('b', 2), event('c', 3)], 1);
    expect(r.all().map((e) => e.id)).toEqual(['b', 'c']);
    expect(r.arrivedAt.has('a')).toBe(false);
    expect(r.add([event('a', 1)], 2).map((e) => e.id)).toEqual(['a']);
    expect(r.all().map((e) => e.id)).toEqual(['c', 'a']);
  });

  it('changes the identity of all() only when its content changes', () => {
    const r = new EventRing(5);
    r.add([event('a', 1)], 1);
    const before = r.all();
    r.add([event('a', 1)], 2);
    expect(r.all()).toBe(before);
    r.add([event('b', 2)], 3);
    expect(r.all()).not.toBe(before);
  });
});
