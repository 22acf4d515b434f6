import { ValidationError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { AlertError } from '../../src/alerts/index.js';
import { CITY, entrapment, GRID_A, GRID_A2, GRID_B, MIN, service, smoke, STREET_A, STREET_B, T0 } from './fixtures.js';

const window = (over: Record<string, unknown> = {}) => ({
  areaPrefix: STREET_A,
  startsAt: T0,
  endsAt: T0 + 60 * MIN,
  reason: '消防系统年检 annual fire-system inspection',
  ...over,
});

describe('maintenance windows', () => {
  it('suppresses alarms inside a window (area, time) and says which window in the history', () => {
    const { svc } = service();
    const w = svc.windows.create(window(), 'op-zhang', [STREET_A]);
    const [a] = svc.ingest([smoke({ receivedAt: T0 + 10 * MIN })]);
    expect(a).toMatchObject({ state: 'suppressed', windowId: w.id, dueAt: null });
    expect(svc.history(a!.id, CITY)!.map((h) => [h.action, h.from, h.to])).toEqual([
      ['raise', null, 'raised'],
      ['suppress', 'raised', 'suppressed'],
    ]);
    expect(svc.history(a!.id, CITY)![1]!.note).toContain(w.id);
  });

  it('matches on area prefix, device, kind and [start, end)', () => {
    const { svc } = service();
    svc.windows.create(window({ areaPrefix: GRID_A, deviceId: 'smoke-01', kind: 'smoke.alarm' }), 'op', CITY);
    const states = (e: Parameters<typeof svc.ingest>[0][number]) => svc.ingest([e])[0]!.state;
    expect(states(smoke({ receivedAt: T0 }))).toBe('suppressed');
    expect(states(smoke({ deviceId: 'smoke-02' }))).toBe('raised');
    expect(states(smoke({ gridId: GRID_A2 }))).toBe('raised');
    expect(states(smoke({ gridId: GRID_B }))).toBe('raised');
    expect(states(entrapment({ deviceId: 'smoke-01' }))).toBe('raised');
    expect(states(smoke({ gatewayId: 'gw-end', receivedAt: T0 + 60 * MIN }))).toBe('raised');
    expect(states(smoke({ gatewayId: 'gw-before', receivedAt: T0 - 1 }))).toBe('raised');
  });

  it('lets a real alarm after the window surface instead of folding into the suppressed alert', () => {
    const { svc } = service({ config: { foldWindowMs: 30 * MIN } });
    svc.windows.create(window({ endsAt: T0 + 10 * MIN }), 'op', CITY);
    const [s] = svc.ingest([smoke({ receivedAt: T0 + 9 * MIN })]);
    const [r] = svc.ingest([smoke({ receivedAt: T0 + 11 * MIN })]);
    expect(s!.state).toBe('suppressed');
    expect(r).toMatchObject({ state: 'raised', count: 1 });
    expect(r!.id).not.toBe(s!.id);
    // A repeat from inside the window joins the latest open alert, here the raised one: suppression never hides it.
    expect(svc.ingest([smoke({ receivedAt: T0 + 9 * MIN + 1 })])[0]).toMatchObject({ id: r!.id, count: 2 });
  });

  it('a suppressed alert can be brought back (unsuppress) or resolved', () => {
    const { svc } = service();
    svc.windows.create(window(), 'op', CITY);
    const [a, b] = svc.ingest([smoke(), smoke({ deviceId: 'smoke-02' })]);
    const back = svc.unsuppress(a!.id, CITY, { actor: 'op', note: 'real fire, not the test' });
    expect(back).toMatchObject({ state: 'raised', windowId: null });
    expect(back.dueAt).not.toBeNull();
    expect(svc.resolve(b!.id, CITY, { actor: 'op', note: 'inspection done' }).state).toBe('resolved');
  });

  it('does CRUD inside the caller area only, and shows covering windows read-only', () => {
    const { svc } = service();
    const wide = svc.windows.create(window({ areaPrefix: '341302' }), 'city-op', CITY);
    const mine = svc.windows.create(window({ areaPrefix: GRID_A }), 'leader-a', [STREET_A]);
    expect(() => svc.windows.create(window({ areaPrefix: STREET_B }), 'leader-a', [STREET_A])).toThrow(
      /areaPrefix must lie inside your area/,
    );
    expect(svc.windows.list([STREET_A]).map((w) => w.id)).toEqual([wide.id, mine.id]);
    expect(svc.windows.list([STREET_B]).map((w) => w.id)).toEqual([wide.id]);
    expect(svc.windows.get(mine.id, [STREET_B])).toBeNull();
    expect(() => svc.windows.remove(wide.id, [STREET_A])).toThrow(AlertError);
    expect(() => svc.windows.update(mine.id, { reason: 'x' }, [STREET_B])).toThrow(/no maintenance window/);

    const moved = svc.windows.update(mine.id, { endsAt: T0 + 5 * MIN, kind: 'gas.alarm' }, [STREET_A]);
    expect(moved).toMatchObject({ endsAt: T0 + 5 * MIN, kind: 'gas.alarm', areaPrefix: GRID_A, createdBy: 'leader-a' });
    expect(svc.windows.list(CITY, T0 + 10 * MIN).map((w) => w.id)).toEqual([wide.id]);
    expect(svc.windows.remove(mine.id, [STREET_A]).id).toBe(mine.id);
    expect(svc.windows.list(CITY).map((w) => w.id)).toEqual([wide.id]);
  });

  it('rejects a bad window with every problem listed', () => {
    const { svc } = service();
    const err = (() => {
      try {
        svc.windows.create(window({ areaPrefix: '34%', kind: 'smoke', reason: '' }), 'op', CITY);
      } catch (e) {
        return e as ValidationError;
      }
    })()!;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => i.field).sort()).toEqual(['areaPrefix', 'kind', 'reason']);
    expect(() => svc.windows.create(window({ endsAt: T0 }), 'op', CITY)).toThrow(/endsAt must be after startsAt/);
  });
});
