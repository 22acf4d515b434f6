import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import type { LinliEvent } from '@linli/contract';
import { type Alert, AlertError } from '../../src/alerts/index.js';
import { CITY, fakeClock, GRID_A, MIN, service, T0, tilt } from './fixtures.js';

const config = {
  foldWindowMs: 5 * MIN,
  maxLevel: 2,
  sla: { default: { dispatchMs: 5 * MIN, acknowledgeMs: 10 * MIN, resolveMs: 20 * MIN }, rules: [] },
};

// Weighted towards people acting on alerts, so most runs reach resolved (and then try to move it again).
const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('event' as const),
      dev: fc.nat(1),
      dt: fc.nat(8 * MIN),
      active: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constantFrom('dispatch' as const, 'acknowledge' as const, 'resolve' as const, 'unsuppress' as const),
      pick: fc.nat(),
      note: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.nat(30 * MIN) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('window' as const),
      dev: fc.nat(1),
      len: fc.integer({ min: 1, max: 20 * MIN }),
    }),
  },
);

describeEachDialect('alert lifecycle under random operations (property)', (ctx) => {
  it('keeps its invariants', async () => {
    // Property runs do thousands of transactions: skip fsync on SQLite (the SQL is the same).
    if (ctx.dialect === 'sqlite') await ctx.db.exec('PRAGMA synchronous = OFF');
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60, size: '+1' }), async (ops) => {
        const clock = fakeClock();
        // Every run starts from empty tables in the test's database.
        for (const table of ['alert_alerts', 'alert_events', 'alert_history', 'alert_windows'])
          await ctx.db.run(`DELETE FROM ${table}`);
        const { svc } = service(ctx.db, { now: clock.now, config });
        // What the model expects from what the service reported back, independently of its tables.
        const expectedHistory = new Map<string, number>();
        const expectedCount = new Map<string, number>();
        const expectedLinks = new Map<string, number>();
        const sent: LinliEvent[] = [];
        const frozen = new Map<string, Alert>();
        const bump = (id: string, n = 1) => expectedHistory.set(id, (expectedHistory.get(id) ?? 0) + n);
        let eventTime = T0;
        for (const o of ops) {
          if (o.t === 'event') {
            eventTime += o.dt;
            clock.set(Math.max(clock.now(), eventTime));
            const e = tilt({ deviceId: `smoke-${o.dev}`, receivedAt: eventTime }, o.active);
            sent.push(e);
            for (const a of await svc.ingest([e])) {
              expectedLinks.set(a.id, (expectedLinks.get(a.id) ?? 0) + 1);
              if (!o.active) {
                bump(a.id); // source_cleared
              } else if (!expectedHistory.has(a.id)) {
                bump(a.id, a.state === 'suppressed' ? 2 : 1);
                expectedCount.set(a.id, 1);
              } else expectedCount.set(a.id, expectedCount.get(a.id)! + 1);
            }
          } else if (o.t === 'replay') {
            // A gateway resending an event the hub already took changes nothing.
            if (sent.length) expect(await svc.ingest([sent[o.pick % sent.length]!])).toEqual([]);
          } else if (o.t === 'tick') {
            clock.advance(o.dt);
            for (const a of await svc.tick()) bump(a.id);
          } else if (o.t === 'window') {
            // A device window in one community (narrow: active at once); not before the hub's "now".
            const startsAt = Math.max(eventTime, clock.now() - 5 * MIN);
            await svc.windows.create(
              {
                areaPrefix: GRID_A.slice(0, 12),
                deviceId: `smoke-${o.dev}`,
                startsAt,
                endsAt: startsAt + o.len,
                reason: 'drill',
              },
              'op',
              CITY,
            );
          } else {
            const ids = [...expectedHistory.keys()];
            if (ids.length === 0) continue;
            const id = ids[o.pick % ids.length]!;
            const before = (await svc.get(id, CITY))!;
            try {
              const by = { actor: 'worker-1', ...(o.note ? { note: 'checked' } : {}) };
              if (o.t === 'dispatch')
                await svc.dispatch(id, CITY, { ...by, assignee: { type: 'user', id: 'worker-2' } });
              else if (o.t === 'acknowledge') await svc.acknowledge(id, CITY, by);
              else if (o.t === 'unsuppress') await svc.unsuppress(id, CITY, by);
              else await svc.resolve(id, CITY, by as { actor: string; note: string });
              bump(id);
            } catch (err) {
              expect(err).toBeInstanceOf(AlertError);
              const code = (err as AlertError).code;
              expect(code === 'ALERT_INVALID_TRANSITION' || (code === 'ALERT_NOTE_REQUIRED' && !o.note)).toBe(true);
              expect(await svc.get(id, CITY)).toEqual(before); // a refusal changes nothing
            }
          }
          await check(svc, { history: expectedHistory, count: expectedCount, links: expectedLinks }, frozen);
        }
      }),
      // PostgreSQL is a round trip per statement: fewer runs there, the same properties.
      { numRuns: ctx.dialect === 'sqlite' ? 150 : 75 },
    );
  }, 120_000);
});

async function check(
  svc: ReturnType<typeof service>['svc'],
  expected: { history: Map<string, number>; count: Map<string, number>; links: Map<string, number> },
  frozen: Map<string, Alert>,
) {
  const expectedHistory = expected.history;
  const all = await svc.list(CITY);
  expect(all.map((a) => a.id).sort()).toEqual([...expectedHistory.keys()].sort());
  for (const a of all) {
    const h = (await svc.history(a.id, CITY))!;
    // One history row for the raise plus one per change the service reported.
    expect(h.length).toBe(expectedHistory.get(a.id));
    expect(a.count).toBe(expected.count.get(a.id));
    // Every alarm folded in and every all-clear that touched it is linked by event id.
    expect(await svc.eventIds(a.id, CITY)).toHaveLength(expected.links.get(a.id)!);
    expect(h.map((x) => x.seq)).toEqual(h.map((_, i) => i + 1));
    expect(h[0]).toMatchObject({ action: 'raise', from: null, to: 'raised', actor: 'system' });
    for (let i = 1; i < h.length; i++) {
      expect(h[i]!.from).toBe(h[i - 1]!.to); // the history is a connected path
      expect(h[i]!.level).toBeGreaterThanOrEqual(h[i - 1]!.level);
    }
    expect(h.at(-1)!.to).toBe(a.state);
    expect(a.level).toBe(h.filter((x) => x.action === 'escalate').length);
    expect(a.level).toBeLessThanOrEqual(2);
    expect(a.version).toBeGreaterThanOrEqual(h.length);
    const timed = a.state === 'raised' || a.state === 'dispatched' || a.state === 'acknowledged';
    expect(a.dueAt !== null).toBe(timed && a.level < 2);
    if (a.state === 'resolved') expect(a.resolution).toBeTruthy();
    if (a.state === 'dispatched' || a.state === 'acknowledged') expect(a.assignee).not.toBeNull();
    // Resolved is final: nothing about the alert changes afterwards.
    const f = frozen.get(a.id);
    if (f) expect(a).toEqual(f);
    else if (a.state === 'resolved') frozen.set(a.id, a);
  }
}
