import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { AlertError } from '../../src/alerts/index.js';
import { CITY, fakeClock, MIN, meterReading, service, smoke, STREET_A, T0 } from './fixtures.js';

async function caught(fn: () => Promise<unknown>): Promise<AlertError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AlertError) return e;
    throw e;
  }
  throw new Error('expected an AlertError');
}

describeEachDialect('alert lifecycle', (ctx) => {
  it('lives raised → dispatched → acknowledged → resolved, with who, when and why at every step', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now });
    const [raised] = await svc.ingest([smoke()]);
    expect(raised).toMatchObject({ state: 'raised', level: 0, count: 1, kind: 'smoke.alarm', severity: 'critical' });
    expect(raised!.dueAt).toBe(T0 + 3 * MIN); // critical default: dispatch within 3 minutes

    clock.advance(MIN);
    const d = await svc.dispatch(raised!.id, [STREET_A], {
      actor: 'op-zhang',
      assignee: { type: 'team', id: 'grid-341302001001001' },
      note: '请网格员到场查看',
    });
    expect(d).toMatchObject({ state: 'dispatched', assignee: { type: 'team', id: 'grid-341302001001001' } });
    expect(d.dueAt).toBe(T0 + MIN + 5 * MIN);

    clock.advance(MIN);
    const a = await svc.acknowledge(raised!.id, [STREET_A], { actor: 'gw-li' });
    expect(a.state).toBe('acknowledged');

    clock.advance(10 * MIN);
    const r = await svc.resolve(raised!.id, [STREET_A], {
      actor: 'gw-li',
      note: '厨房油烟误报，已通风 false alarm, kitchen smoke',
    });
    expect(r).toMatchObject({
      state: 'resolved',
      dueAt: null,
      resolution: '厨房油烟误报，已通风 false alarm, kitchen smoke',
    });
    expect(r.version).toBeGreaterThan(a.version);

    expect(await svc.history(raised!.id, CITY)).toEqual([
      expect.objectContaining({ seq: 1, at: T0, actor: 'system', action: 'raise', from: null, to: 'raised' }),
      {
        seq: 2,
        at: T0 + MIN,
        actor: 'op-zhang',
        action: 'dispatch',
        from: 'raised',
        to: 'dispatched',
        level: 0,
        note: '请网格员到场查看',
      },
      {
        seq: 3,
        at: T0 + 2 * MIN,
        actor: 'gw-li',
        action: 'acknowledge',
        from: 'dispatched',
        to: 'acknowledged',
        level: 0,
        note: null,
      },
      expect.objectContaining({ seq: 4, at: T0 + 12 * MIN, action: 'resolve', from: 'acknowledged', to: 'resolved' }),
    ]);
  });

  it('ignores telemetry: only alarm severities become alerts', async () => {
    const { svc } = service(ctx.db);
    expect(await svc.ingest([meterReading(), smoke({ severity: 'notice' })])).toEqual([]);
    expect(await svc.list(CITY)).toEqual([]);
  });

  it('refuses an invalid transition with a code, the current state and the allowed actions', async () => {
    const { svc } = service(ctx.db);
    const [a] = await svc.ingest([smoke()]);
    const e = await caught(() => svc.acknowledge(a!.id, CITY, { actor: 'gw-li' }));
    expect(e.code).toBe('ALERT_INVALID_TRANSITION');
    expect(e.details).toMatchObject({ current: 'raised', allowed: ['dispatch', 'resolve', 'suppress'] });
    expect(e.message).toMatch(/cannot acknowledge alert .*: it is raised; from raised you may dispatch, resolve/);
    expect(e.toJSON()).toMatchObject({ code: 'ALERT_INVALID_TRANSITION', current: 'raised' });
    expect((await caught(() => svc.unsuppress(a!.id, CITY, { actor: 'op' }))).code).toBe('ALERT_INVALID_TRANSITION');
    // Nothing was written by the refusals.
    expect(await svc.history(a!.id, CITY)).toHaveLength(1);
    expect((await svc.get(a!.id, CITY))!.version).toBe(a!.version);
  });

  it('requires a resolution note and keeps a resolved alert final', async () => {
    const { svc } = service(ctx.db);
    const [a] = await svc.ingest([smoke()]);
    expect((await caught(() => svc.resolve(a!.id, CITY, { actor: 'op', note: '   ' }))).code).toBe(
      'ALERT_NOTE_REQUIRED',
    );
    await svc.resolve(a!.id, CITY, { actor: 'op', note: 'test alarm during drill' });
    for (const act of [
      () => svc.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'user', id: 'u1' } }),
      () => svc.acknowledge(a!.id, CITY, { actor: 'op' }),
      () => svc.resolve(a!.id, CITY, { actor: 'op', note: 'again' }),
    ]) {
      const e = await caught(act);
      expect(e.code).toBe('ALERT_INVALID_TRANSITION');
      expect(e.message).toMatch(/resolved is final/);
      expect(e.details.allowed).toEqual([]);
    }
    expect((await svc.get(a!.id, CITY))!.resolution).toBe('test alarm during drill');
  });

  it('re-dispatches to someone else and restarts the acknowledge timer', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now });
    const [a] = await svc.ingest([smoke()]);
    await svc.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'user', id: 'worker-1' } });
    clock.advance(2 * MIN);
    const again = await svc.dispatch(a!.id, CITY, {
      actor: 'op',
      assignee: { type: 'user', id: 'worker-2' },
      note: 'worker-1 off duty',
    });
    expect(again).toMatchObject({ state: 'dispatched', assignee: { id: 'worker-2' }, dueAt: T0 + 2 * MIN + 5 * MIN });
    expect((await svc.history(a!.id, CITY))!.map((h) => h.action)).toEqual(['raise', 'dispatch', 'dispatch']);
  });

  it('rejects bad actors and assignees before touching the database', async () => {
    const { svc } = service(ctx.db);
    const [a] = await svc.ingest([smoke()]);
    await expect(svc.acknowledge(a!.id, CITY, { actor: 'system' })).rejects.toThrow(/actor must be a user id/);
    await expect(
      svc.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'robot', id: 'x' } as never }),
    ).rejects.toThrow(/assignee/);
    expect(await svc.history(a!.id, CITY)).toHaveLength(1);
  });
});
