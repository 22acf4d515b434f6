import { ValidationError } from '@linli/contract';
import { expect, it } from 'vitest';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { describeEachDialect } from '../support/dialects.js';
import { AlertError } from '../../src/alerts/index.js';
import {
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
} from './fixtures.js';

async function setup(db: SqlDb) {
  const clock = fakeClock();
  const { svc } = service(db, { now: clock.now });
  const [inA] = await svc.ingest([smoke({ gridId: GRID_A })]);
  clock.advance(MIN);
  const [inA2] = await svc.ingest([entrapment({ gridId: GRID_A2, severity: 'warning' })]);
  clock.advance(MIN);
  const [inB] = await svc.ingest([smoke({ gridId: GRID_B, gatewayId: 'gw-b' })]);
  return { svc, clock, inA: inA!, inA2: inA2!, inB: inB! };
}

describeEachDialect('area scope', (ctx) => {
  it('never returns an alert of another street from list, get or history', async () => {
    const { svc, inA, inA2, inB } = await setup(ctx.db);
    expect((await svc.list([STREET_A])).map((a) => a.id)).toEqual([inA2.id, inA.id]);
    expect((await svc.list([STREET_B])).map((a) => a.id)).toEqual([inB.id]);
    expect((await svc.list([GRID_A])).map((a) => a.id)).toEqual([inA.id]);
    expect(await svc.list(CITY)).toHaveLength(3);
    expect(await svc.list([STREET_A, STREET_B])).toHaveLength(3);
    expect(await svc.list([])).toEqual([]);
    expect(await svc.get(inB.id, [STREET_A])).toBeNull();
    expect(await svc.history(inB.id, [STREET_A])).toBeNull();
    expect(await svc.eventIds(inB.id, [STREET_A])).toBeNull();
    expect(await svc.get(inB.id, [STREET_B])).toMatchObject({ id: inB.id });
  });

  it('answers an out-of-scope change exactly like a missing alert', async () => {
    const { svc, inB } = await setup(ctx.db);
    const attempt = async (id: string) => {
      try {
        await svc.dispatch(id, [STREET_A], { actor: 'leader-a', assignee: { type: 'user', id: 'x' } });
      } catch (e) {
        return e as AlertError;
      }
      throw new Error('expected a refusal');
    };
    const other = await attempt(inB.id);
    const missing = await attempt('01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(other.code).toBe('ALERT_NOT_FOUND');
    expect(missing.code).toBe('ALERT_NOT_FOUND');
    expect(other.message.replace(inB.id, 'ID')).toBe(missing.message.replace('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'ID'));
    expect((await svc.get(inB.id, CITY))!.state).toBe('raised');
  });

  it('rejects scope prefixes that could widen a LIKE (wildcards, empty, non-digits)', async () => {
    const { svc } = await setup(ctx.db);
    for (const bad of [['%'], ['3413_'], [''], ['34130200100100100'], [1 as unknown as string]]) {
      await expect(svc.list(bad)).rejects.toThrow(ValidationError);
      await expect(svc.get('x', bad)).rejects.toThrow(ValidationError);
    }
  });

  it('filters by state, severity, kind, escalation and raise time', async () => {
    const { svc, clock, inA, inA2, inB } = await setup(ctx.db);
    const T = inA.raisedAt;
    await svc.dispatch(inA.id, CITY, { actor: 'op', assignee: { type: 'team', id: 'grid-1' } });
    clock.advance(60 * MIN);
    await svc.tick();
    const ids = async (f: Parameters<typeof svc.list>[1]) => (await svc.list(CITY, f)).map((a) => a.id);
    expect(await ids({ states: ['dispatched'] })).toEqual([inA.id]);
    expect(await ids({ states: ['raised', 'dispatched'] })).toEqual([inB.id, inA2.id, inA.id]);
    expect(await ids({ severities: ['warning'] })).toEqual([inA2.id]);
    expect(await ids({ kinds: ['elevator.entrapment'] })).toEqual([inA2.id]);
    expect(await ids({ from: T + MIN, to: T + 2 * MIN })).toEqual([inA2.id]);
    expect((await ids({ escalated: true })).length).toBe(3);
    expect(await ids({ escalated: false })).toEqual([]);
    expect(await ids({ limit: 1 })).toEqual([inB.id]);
    await expect(svc.list(CITY, { states: ['open' as never], limit: 0 })).rejects.toThrow(/states\[0\].*limit/s);
    await expect(svc.list(CITY, { where: '1=1' } as never)).rejects.toThrow(/where is not an allowed field/);
  });
});
