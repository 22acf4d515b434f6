import { ValidationError } from '@linli/contract';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { AlertError, type WindowInput } from '../../src/alerts/index.js';
import {
  alarm,
  CITY,
  entrapment,
  fakeClock,
  GRID_A,
  GRID_A2,
  GRID_B,
  MIN,
  service,
  smoke,
  STREET_A,
  STREET_B,
  T0,
  tilt,
} from './fixtures.js';

const COMMUNITY_A = GRID_A.slice(0, 12);
const window = (over: Record<string, unknown> = {}) =>
  ({
    areaPrefix: COMMUNITY_A,
    kind: 'tilt.alarm',
    startsAt: T0,
    endsAt: T0 + 60 * MIN,
    reason: '倾斜传感器校准 tilt sensor calibration',
    ...over,
  }) as WindowInput;
/** A service on a clock at T0, so windows starting at T0 start "now". */
const at = (db: Parameters<typeof service>[0], config?: unknown) => {
  const clock = fakeClock();
  return { ...service(db, { now: clock.now, ...(config ? { config } : {}) }), clock };
};
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as AlertError).code;
  }
  return 'resolved';
};

describeEachDialect('maintenance windows', (ctx) => {
  it('suppresses alarms inside a window (area, time) and says which window in the history', async () => {
    const { svc } = at(ctx.db);
    const w = await svc.windows.create(window(), 'op-zhang', [STREET_A]);
    expect(w).toMatchObject({ status: 'approved', wide: false, createdBy: 'op-zhang', approvedBy: null });
    const [a] = await svc.ingest([tilt({ receivedAt: T0 + 10 * MIN })]);
    expect(a).toMatchObject({ state: 'suppressed', windowId: w.id, dueAt: null, duringWindowId: null });
    expect((await svc.history(a!.id, CITY))!.map((h) => [h.action, h.from, h.to])).toEqual([
      ['raise', null, 'raised'],
      ['suppress', 'raised', 'suppressed'],
    ]);
    expect((await svc.history(a!.id, CITY))![1]!.note).toContain(w.id);
  });

  it('never silences life-safety alarms: smoke, gas, SOS, entrapment raise as usual, marked 维护期间', async () => {
    const { svc } = at(ctx.db);
    // A device window over the smoke detector itself, and one over the whole community's lift kind.
    const dev = await svc.windows.create(window({ kind: null, deviceId: 'smoke-01' }), 'op', [STREET_A]);
    await svc.windows.create(window({ kind: 'elevator.entrapment' }), 'op', [STREET_A]);
    const [s] = await svc.ingest([smoke({ receivedAt: T0 + 4 * MIN })]);
    expect(s).toMatchObject({ state: 'raised', windowId: null, duringWindowId: dev.id, severity: 'critical' });
    expect(s!.dueAt).not.toBeNull();
    const h = (await svc.history(s!.id, CITY))!;
    expect(h.map((x) => x.action)).toEqual(['raise']);
    expect(h[0]!.note).toContain('维护期间');
    const [e] = await svc.ingest([entrapment({ receivedAt: T0 + 5 * MIN })]);
    expect(e).toMatchObject({ state: 'raised', duringWindowId: expect.any(String) });
    // The same device's non-life-safety alarm is silenced by the device window.
    const [t] = await svc.ingest([tilt({ receivedAt: T0 + 6 * MIN })]);
    expect(t).toMatchObject({ state: 'suppressed', windowId: dev.id });
    // Outside any window a smoke alarm is not marked.
    const [o] = await svc.ingest([smoke({ gatewayId: 'gw-b', gridId: GRID_B })]);
    expect(o).toMatchObject({ state: 'raised', duringWindowId: null });
  });

  it('treats a forced door as life-safety only in a configured care home', async () => {
    const { svc } = at(ctx.db, { maintenance: { careHomeAreas: [GRID_A] } });
    await svc.windows.create(window({ kind: 'gate.forced' }), 'op', [STREET_A]);
    const [care] = await svc.ingest([alarm('gate.forced', { receivedAt: T0 + MIN })]);
    expect(care).toMatchObject({ state: 'raised', duringWindowId: expect.any(String) });
    const [other] = await svc.ingest([
      alarm('gate.forced', { deviceId: 'door-2', gridId: `${COMMUNITY_A}009`, receivedAt: T0 + MIN }),
    ]);
    expect(other!.state).toBe('suppressed');
  });

  it('matches on area prefix, device, kind and [start, end)', async () => {
    const { svc } = at(ctx.db);
    await svc.windows.create(window({ areaPrefix: GRID_A, deviceId: 'smoke-01' }), 'op', CITY);
    const states = async (e: Parameters<typeof svc.ingest>[0][number]) => (await svc.ingest([e]))[0]!.state;
    expect(await states(tilt({ receivedAt: T0 }))).toBe('suppressed');
    expect(await states(tilt({ deviceId: 'smoke-02' }))).toBe('raised');
    expect(await states(tilt({ gridId: GRID_A2 }))).toBe('raised');
    expect(await states(tilt({ gridId: GRID_B }))).toBe('raised');
    expect(await states(alarm('gate.held_open', { deviceId: 'smoke-01' }))).toBe('raised');
    expect(await states(tilt({ gatewayId: 'gw-end', receivedAt: T0 + 60 * MIN }))).toBe('raised');
    expect(await states(tilt({ gatewayId: 'gw-before', receivedAt: T0 - 1 }))).toBe('raised');
  });

  it('lets a real alarm after the window surface instead of folding into the suppressed alert', async () => {
    const { svc } = at(ctx.db, { foldWindowMs: 30 * MIN });
    await svc.windows.create(window({ endsAt: T0 + 10 * MIN }), 'op', CITY);
    const [s] = await svc.ingest([tilt({ receivedAt: T0 + 9 * MIN })]);
    const [r] = await svc.ingest([tilt({ receivedAt: T0 + 11 * MIN })]);
    expect(s!.state).toBe('suppressed');
    expect(r).toMatchObject({ state: 'raised', count: 1 });
    expect(r!.id).not.toBe(s!.id);
    // A repeat from inside the window joins the latest open alert, here the raised one: suppression never hides it.
    expect((await svc.ingest([tilt({ receivedAt: T0 + 9 * MIN + 1 })]))[0]).toMatchObject({ id: r!.id, count: 2 });
  });

  it('a suppressed alert can be brought back (unsuppress) or resolved', async () => {
    const { svc } = at(ctx.db);
    await svc.windows.create(window(), 'op', CITY);
    const [a, b] = await svc.ingest([tilt(), tilt({ deviceId: 'smoke-02' })]);
    const back = await svc.unsuppress(a!.id, CITY, { actor: 'op', note: 'real tilt, not the calibration' });
    expect(back).toMatchObject({ state: 'raised', windowId: null });
    expect(back.dueAt).not.toBeNull();
    expect((await svc.resolve(b!.id, CITY, { actor: 'op', note: 'calibration done' })).state).toBe('resolved');
  });

  it('is bounded: longer than the maximum is refused with MAINTENANCE_TOO_LONG (default 24 h, configurable)', async () => {
    const { svc } = at(ctx.db);
    expect(svc.windows.maxWindowMs).toBe(24 * 60 * MIN);
    const tenYears = window({ endsAt: T0 + 10 * 365 * 24 * 60 * MIN });
    expect(await codeOf(svc.windows.create(tenYears, 'op', CITY))).toBe('MAINTENANCE_TOO_LONG');
    expect(await codeOf(svc.windows.create(window({ endsAt: T0 + 24 * 60 * MIN }), 'op', CITY))).toBe('resolved');
    const short = at(ctx.db, { maintenance: { maxWindowMs: 30 * MIN } }).svc;
    expect(await codeOf(short.windows.create(window({ endsAt: T0 + 31 * MIN }), 'op', CITY))).toBe(
      'MAINTENANCE_TOO_LONG',
    );
    // Not in the past (not retroactive), nor further than 30 days ahead.
    expect(await codeOf(svc.windows.create(window({ startsAt: T0 - 60 * MIN }), 'op', CITY))).toBe('VALIDATION');
    const far = T0 + 40 * 24 * 60 * MIN;
    expect(await codeOf(svc.windows.create(window({ startsAt: far, endsAt: far + MIN }), 'op', CITY))).toBe(
      'VALIDATION',
    );
  });

  it('holds a wide window pending until someone else with a city role approves it (two-person rule)', async () => {
    const { svc } = at(ctx.db);
    const street = await svc.windows.create(window({ areaPrefix: STREET_A, kind: null }), 'leader-a', [STREET_A]);
    const noTarget = await svc.windows.create(window({ kind: null }), 'leader-a', [STREET_A]);
    expect(street).toMatchObject({ status: 'pending', wide: true });
    expect(noTarget).toMatchObject({ status: 'pending', wide: true });
    expect((await svc.ingest([tilt({ receivedAt: T0 + MIN })]))[0]!.state).toBe('raised');
    expect(await codeOf(svc.windows.approve(street.id, 'leader-a', CITY))).toBe('MAINTENANCE_SELF_APPROVAL');
    expect(await codeOf(svc.windows.approve(street.id, 'op-b', [STREET_B]))).toBe('ALERT_NOT_FOUND');
    const ok = await svc.windows.approve(street.id, 'city-op', CITY);
    expect(ok).toMatchObject({ status: 'approved', approvedBy: 'city-op', approvedAt: T0 });
    expect(await codeOf(svc.windows.approve(street.id, 'city-op-2', CITY))).toBe('MAINTENANCE_NOT_PENDING');
    expect((await svc.ingest([tilt({ deviceId: 'tilt-9', receivedAt: T0 + 2 * MIN })]))[0]!.state).toBe('suppressed');
  });

  it('ends a window early: alarms from then on raise; what it suppressed stays; only inside your area', async () => {
    const { svc, clock } = at(ctx.db);
    const w = await svc.windows.create(window(), 'leader-a', [STREET_A]);
    const [s] = await svc.ingest([tilt({ receivedAt: T0 + MIN })]);
    expect(await codeOf(svc.windows.end(w.id, 'leader-b', [STREET_B]))).toBe('ALERT_NOT_FOUND');
    clock.advance(2 * MIN);
    const ended = await svc.windows.end(w.id, 'leader-a', [STREET_A]);
    expect(ended).toMatchObject({ status: 'ended', endedBy: 'leader-a', endedAt: T0 + 2 * MIN, endsAt: T0 + 60 * MIN });
    expect(await codeOf(svc.windows.end(w.id, 'leader-a', [STREET_A]))).toBe('MAINTENANCE_OVER');
    const [r] = await svc.ingest([tilt({ deviceId: 'smoke-02', receivedAt: T0 + 3 * MIN })]);
    expect(r!.state).toBe('raised');
    expect((await svc.get(s!.id, CITY))!.state).toBe('suppressed');
    expect(await svc.windows.list(CITY, { current: true })).toEqual([]);
    expect((await svc.windows.list(CITY)).map((x) => x.id)).toEqual([w.id]);
  });

  it('lists inside the caller area and the wider windows covering it, never others', async () => {
    const { svc } = at(ctx.db);
    const wide = await svc.windows.create(window({ areaPrefix: '341302', kind: null }), 'city-op', CITY);
    const mine = await svc.windows.create(window({ areaPrefix: GRID_A }), 'leader-a', [STREET_A]);
    await expect(svc.windows.create(window({ areaPrefix: STREET_B }), 'leader-a', [STREET_A])).rejects.toThrow(
      /areaPrefix must lie inside your area/,
    );
    expect((await svc.windows.list([STREET_A])).map((w) => w.id)).toEqual([wide.id, mine.id]);
    expect((await svc.windows.list([STREET_B])).map((w) => w.id)).toEqual([wide.id]);
    expect(await svc.windows.get(mine.id, [STREET_B])).toBeNull();
    // Seen, not owned: a street leader cannot end the district's window.
    await expect(svc.windows.end(wide.id, 'leader-a', [STREET_A])).rejects.toThrow(AlertError);
    // Only approved, open windows are active.
    expect((await svc.windows.list(CITY, { activeAt: T0 + MIN })).map((w) => w.id)).toEqual([mine.id]);
  });

  it('rejects a bad window with every problem listed', async () => {
    const { svc } = at(ctx.db);
    const err = (await (async () => {
      try {
        await svc.windows.create(window({ areaPrefix: '34%', kind: 'smoke', reason: '' }), 'op', CITY);
      } catch (e) {
        return e as ValidationError;
      }
    })())!;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i) => i.field).sort()).toEqual(['areaPrefix', 'kind', 'reason']);
    await expect(svc.windows.create(window({ endsAt: T0 }), 'op', CITY)).rejects.toThrow(
      /endsAt must be after startsAt/,
    );
  });
});
