import { expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { describeEachDialect } from '../support/dialects.js';
import { CITY, entrapment, fakeClock, GRID_A, MIN, secondConnection, service, smoke, T0, tilt } from './fixtures.js';

const config = {
  maxLevel: 2,
  sla: {
    default: { dispatchMs: 10 * MIN, acknowledgeMs: 20 * MIN, resolveMs: 60 * MIN },
    rules: [{ kind: 'elevator.entrapment' as const, dispatchMs: 2 * MIN }],
  },
};

describeEachDialect('escalation on SLA timeout', (ctx) => {
  it('escalates an undispatched alert once its dispatch deadline passes, and not before', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const [a] = await svc.ingest([smoke()]);
    clock.set(T0 + 10 * MIN - 1);
    expect(await svc.tick()).toEqual([]);
    clock.set(T0 + 10 * MIN);
    const [e] = await svc.tick();
    expect(e).toMatchObject({ id: a!.id, state: 'raised', level: 1, dueAt: T0 + 20 * MIN });
    expect(await svc.tick()).toEqual([]); // the same deadline never escalates twice
    expect((await svc.list(CITY, { escalated: true })).map((x) => x.id)).toEqual([a!.id]);
    const h = (await svc.history(a!.id, CITY))!.at(-1)!;
    expect(h).toMatchObject({ actor: 'system', action: 'escalate', from: 'raised', to: 'raised', level: 1 });
    expect(h.note).toMatch(/dispatch deadline passed 0 ms ago; level 1/);
  });

  it('keeps escalating each further period up to maxLevel, then stops', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const [a] = await svc.ingest([smoke()]);
    clock.advance(10 * MIN);
    expect((await svc.tick()).map((x) => x.level)).toEqual([1]);
    clock.advance(10 * MIN);
    expect(await svc.tick()).toMatchObject([{ level: 2, dueAt: null }]);
    clock.advance(24 * 60 * MIN);
    expect(await svc.tick()).toEqual([]);
    expect((await svc.get(a!.id, CITY))!.level).toBe(2);
  });

  it('times each state by its own SLA and keeps the level through later states', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const [a] = await svc.ingest([entrapment()]);
    expect(a!.dueAt).toBe(T0 + 2 * MIN); // the kind rule overrides the default dispatch time
    clock.advance(2 * MIN);
    await svc.tick();
    await svc.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'team', id: 'lift-maint' } });
    clock.advance(20 * MIN - 1);
    expect(await svc.tick()).toEqual([]);
    clock.advance(1);
    expect(await svc.tick()).toMatchObject([{ state: 'dispatched', level: 2, dueAt: null }]);
    const acked = await svc.acknowledge(a!.id, CITY, { actor: 'lift-tech' });
    expect(acked.dueAt).toBeNull(); // at maxLevel no timer runs
    expect((await svc.history(a!.id, CITY))!.map((h) => `${h.action}:${h.level}`)).toEqual([
      'raise:0',
      'escalate:1',
      'dispatch:1',
      'escalate:2',
      'acknowledge:2',
    ]);
  });

  it('never escalates resolved or suppressed alerts', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const [a] = await svc.ingest([smoke()]);
    await svc.resolve(a!.id, CITY, { actor: 'op', note: 'drill' });
    await svc.windows.create(
      { areaPrefix: GRID_A, kind: 'tilt.alarm', startsAt: T0, endsAt: T0 + 60 * MIN, reason: 'sensor swap' },
      'op',
      CITY,
    );
    const [s] = await svc.ingest([tilt({ deviceId: 'smoke-02' })]);
    expect(s!.state).toBe('suppressed');
    clock.advance(600 * MIN);
    expect(await svc.tick()).toEqual([]);
  });

  it('escalates exactly once when two services over two connections tick the same database', async () => {
    const clock = fakeClock();
    const { svc: hub1 } = service(ctx.db, { now: clock.now, config });
    const other = secondConnection(ctx.db);
    try {
      const hub2 = new AlertService(other, { now: clock.now, config });
      const alerts = await hub1.ingest(Array.from({ length: 20 }, (_, i) => smoke({ deviceId: `smoke-${i}` })));
      clock.advance(10 * MIN);
      const a = await hub1.tick();
      const b = await hub2.tick();
      expect(a).toHaveLength(20);
      expect(b).toEqual([]);
      for (const x of alerts) {
        expect((await hub2.get(x.id, CITY))!.level).toBe(1);
        expect((await hub2.history(x.id, CITY))!.filter((h) => h.action === 'escalate')).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });
});
