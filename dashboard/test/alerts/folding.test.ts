import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { CITY, fakeClock, MIN, service, smoke, T0 } from './fixtures.js';

const config = { foldWindowMs: 5 * MIN };

describeEachDialect('folding duplicate alarms', (ctx) => {
  it('folds repeats from the same gateway, device and kind into one alert with a count and every event id', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const events = [0, 1, 2, 3].map((i) => smoke({ receivedAt: T0 + i * MIN }));
    const [first] = await svc.ingest(events.slice(0, 1));
    clock.advance(3 * MIN);
    const changed = await svc.ingest(events.slice(1));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      id: first!.id,
      count: 4,
      firstEventId: events[0]!.id,
      firstEventAt: T0,
      lastEventAt: T0 + 3 * MIN,
      state: 'raised',
    });
    expect(changed[0]!.version).toBe(first!.version + 3);
    expect(await svc.eventIds(first!.id, CITY)).toEqual(events.map((e) => e.id).sort());
    // Folding is not a state change: the history still holds only the raise.
    expect(await svc.history(first!.id, CITY)).toHaveLength(1);
    expect(await svc.list(CITY)).toHaveLength(1);
  });

  it('folds at exactly the window and opens a new alert one millisecond past it', async () => {
    const { svc } = service(ctx.db, { config });
    const [a] = await svc.ingest([smoke({ receivedAt: T0 })]);
    const [b] = await svc.ingest([smoke({ receivedAt: T0 + 5 * MIN })]);
    expect(b!.id).toBe(a!.id);
    expect(b!.count).toBe(2);
    // The window slides from the latest alarm, so an ongoing problem stays one alert.
    const [c] = await svc.ingest([smoke({ receivedAt: T0 + 10 * MIN })]);
    expect(c).toMatchObject({ id: a!.id, count: 3 });
    const [d] = await svc.ingest([smoke({ receivedAt: T0 + 15 * MIN + 1 })]);
    expect(d!.id).not.toBe(a!.id);
    expect(d!.count).toBe(1);
  });

  it('keeps different devices, kinds and gateways apart', async () => {
    const { svc } = service(ctx.db, { config });
    const out = await svc.ingest([smoke(), smoke({ deviceId: 'smoke-02' }), smoke({ gatewayId: 'gw-b' }), smoke()]);
    expect(out.map((a) => a.count).sort()).toEqual([1, 1, 2]);
  });

  it('never folds into a resolved alert', async () => {
    const { svc } = service(ctx.db, { config });
    const [a] = await svc.ingest([smoke()]);
    await svc.resolve(a!.id, CITY, { actor: 'op', note: 'checked, dust' });
    const [b] = await svc.ingest([smoke({ receivedAt: T0 + MIN })]);
    expect(b!.id).not.toBe(a!.id);
    expect(b!.state).toBe('raised');
  });

  it('changes nothing when a batch is replayed (same event ids)', async () => {
    const { svc } = service(ctx.db, { config });
    const batch = [smoke(), smoke({ receivedAt: T0 + MIN })];
    const [a] = await svc.ingest(batch);
    expect(await svc.ingest(batch)).toEqual([]);
    expect(await svc.get(a!.id, CITY)).toEqual(a);
  });

  it('raises severity to the highest folded alarm', async () => {
    const { svc } = service(ctx.db, { config });
    const [a] = await svc.ingest([smoke({ severity: 'warning' })]);
    const [b] = await svc.ingest([smoke({ severity: 'critical', receivedAt: T0 + MIN })]);
    expect([a!.severity, b!.severity]).toEqual(['warning', 'critical']);
    const [c] = await svc.ingest([smoke({ severity: 'warning', receivedAt: T0 + 2 * MIN })]);
    expect(c!.severity).toBe('critical');
  });

  it('marks the open alert "source cleared" on an all-clear and keeps it open; a new alarm un-clears it', async () => {
    const clock = fakeClock();
    const { svc } = service(ctx.db, { now: clock.now, config });
    const [a] = await svc.ingest([smoke()]);
    await svc.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'user', id: 'worker-1' } });
    clock.advance(MIN);
    const [cleared] = await svc.ingest([smoke({ receivedAt: T0 + MIN }, false)]);
    expect(cleared).toMatchObject({ id: a!.id, state: 'dispatched', clearedAt: T0 + MIN, count: 1 });
    expect((await svc.history(a!.id, CITY))!.at(-1)).toMatchObject({
      actor: 'system',
      action: 'source_cleared',
      from: 'dispatched',
      to: 'dispatched',
    });
    // A second all-clear adds nothing; an all-clear alone never creates an alert.
    expect(await svc.ingest([smoke({ receivedAt: T0 + 2 * MIN }, false)])).toEqual([]);
    expect(await svc.ingest([smoke({ deviceId: 'smoke-09' }, false)])).toEqual([]);
    const [again] = await svc.ingest([smoke({ receivedAt: T0 + 3 * MIN })]);
    expect(again).toMatchObject({ id: a!.id, count: 2, clearedAt: null });
    expect(await svc.list(CITY)).toHaveLength(1);
  });

  it('ignores an all-clear older than the latest alarm (delivered out of order)', async () => {
    const { svc } = service(ctx.db, { config });
    const [a] = await svc.ingest([smoke({ receivedAt: T0 + 2 * MIN })]);
    expect(await svc.ingest([smoke({ receivedAt: T0 + MIN }, false)])).toEqual([]);
    expect((await svc.get(a!.id, CITY))!.clearedAt).toBeNull();
  });

  it('remembers an all-clear that changed nothing, so its resend cannot clear a later alarm of the same instant', async () => {
    // fast-check's counterexample (seed -748677367): clear at T0 with nothing open, an alarm at T0, then the
    // clear resent. Unremembered, the resend looked new and cleared the alarm it had preceded.
    const { svc } = service(ctx.db, { config });
    const clear = smoke({ receivedAt: T0 }, false);
    expect(await svc.ingest([clear])).toEqual([]);
    const [a] = await svc.ingest([smoke({ receivedAt: T0 })]);
    expect(await svc.ingest([clear])).toEqual([]);
    expect(await svc.get(a!.id, CITY)).toEqual(a);
    // A stale clear (older than the alarm) is remembered too, and retention forgets both with their events.
    const stale = smoke({ receivedAt: T0 - MIN }, false);
    expect(await svc.ingest([stale])).toEqual([]);
    expect(await svc.prune(T0, 10)).toBe(1);
    expect(await svc.prune(T0 + 1, 10)).toBe(1);
    expect(await svc.prune(T0 + 1, 10)).toBe(0);
  });

  it('clears an open device.offline alert when the device comes back online', async () => {
    const { svc } = service(ctx.db, { config });
    const base = smoke();
    const offline = {
      ...base,
      kind: 'device.offline' as const,
      severity: 'warning' as const,
      payload: { reason: 'no reply' },
    };
    const online = {
      ...base,
      id: smoke().id,
      kind: 'device.online' as const,
      severity: 'info' as const,
      receivedAt: T0 + MIN,
      payload: {},
    };
    const [a] = await svc.ingest([offline]);
    const [b] = await svc.ingest([online]);
    expect(b).toMatchObject({ id: a!.id, kind: 'device.offline', clearedAt: expect.any(Number) });
  });
});
