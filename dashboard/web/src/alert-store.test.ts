import type { Alert } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { AlertStore, OPEN_STATES } from './alert-store.js';

let n = 0;
/** An alert as the hub sends it (contract AlertSchema), one field overridden per test. */
function alert(over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `01JD${String(n).padStart(22, '0')}`,
    state: 'raised',
    level: 0,
    version: 1,
    kind: 'smoke.alarm',
    severity: 'critical',
    gatewayId: 'gw-1',
    deviceId: 'smoke-01',
    gridId: '341302001001001',
    lng: 117,
    lat: 33.6,
    count: 1,
    firstEventId: '01JD0000000000000000000000',
    firstEventAt: n,
    lastEventAt: n,
    raisedAt: n,
    stateSince: n,
    updatedAt: n,
    dueAt: null,
    assignee: null,
    resolution: null,
    clearedAt: null,
    windowId: null,
    duringWindowId: null,
    ...over,
  };
}

describe('AlertStore', () => {
  it('keeps the newest version of an alert and ignores a stale or repeated one', () => {
    const s = new AlertStore();
    const a = alert();
    expect(s.upsert(a)).toBe(true);
    expect(s.upsert({ ...a, version: 2, state: 'dispatched' })).toBe(true);
    // A catch-up after a reconnect repeats what the socket already delivered.
    expect(s.upsert(a)).toBe(false);
    expect(s.upsert({ ...a, version: 2, state: 'raised' })).toBe(false);
    expect(s.get(a.id)?.state).toBe('dispatched');
    expect(s.size).toBe(1);
  });

  it('keeps the identity of all() until something changes (deck.gl re-uploads only then)', () => {
    const s = new AlertStore();
    const a = alert();
    s.upsert(a);
    const before = s.all();
    s.upsert(a);
    expect(s.all()).toBe(before);
    s.upsert({ ...a, version: 2 });
    expect(s.all()).not.toBe(before);
  });

  it('lists only open alerts as open', () => {
    const s = new AlertStore();
    for (const state of ['raised', 'dispatched', 'acknowledged', 'resolved', 'suppressed'] as const)
      s.upsert(alert({ state }));
    expect(s.open().map((a) => a.state)).toEqual([...OPEN_STATES]);
  });

  it('drops closed alerts first, oldest first, when over capacity', () => {
    const s = new AlertStore(3);
    const oldClosed = alert({ state: 'resolved', updatedAt: 1 });
    const newClosed = alert({ state: 'resolved', updatedAt: 5 });
    const open1 = alert({ updatedAt: 2 });
    const open2 = alert({ updatedAt: 3 });
    for (const a of [oldClosed, newClosed, open1, open2]) s.upsert(a);
    expect(s.size).toBe(3);
    expect(s.get(oldClosed.id)).toBeUndefined();
    expect(s.get(open1.id)).toBeDefined();
    expect(s.get(newClosed.id)).toBeDefined();
  });

  it('drops the oldest open alert when nothing closed is left to drop', () => {
    const s = new AlertStore(2);
    const first = alert({ updatedAt: 1 });
    const second = alert({ updatedAt: 2 });
    const third = alert({ updatedAt: 3 });
    for (const a of [first, second, third]) s.upsert(a);
    expect(s.all().map((a) => a.id)).toEqual([second.id, third.id]);
  });
});
