import { ValidationError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
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

function setup() {
  const clock = fakeClock();
  const { svc } = service({ now: clock.now });
  const [inA] = svc.ingest([smoke({ gridId: GRID_A })]);
  clock.advance(MIN);
  const [inA2] = svc.ingest([entrapment({ gridId: GRID_A2, severity: 'warning' })]);
  clock.advance(MIN);
  const [inB] = svc.ingest([smoke({ gridId: GRID_B, gatewayId: 'gw-b' })]);
  return { svc, clock, inA: inA!, inA2: inA2!, inB: inB! };
}

describe('area scope', () => {
  it('never returns an alert of another street from list, get or history', () => {
    const { svc, inA, inA2, inB } = setup();
    expect(svc.list([STREET_A]).map((a) => a.id)).toEqual([inA2.id, inA.id]);
    expect(svc.list([STREET_B]).map((a) => a.id)).toEqual([inB.id]);
    expect(svc.list([GRID_A]).map((a) => a.id)).toEqual([inA.id]);
    expect(svc.list(CITY)).toHaveLength(3);
    expect(svc.list([STREET_A, STREET_B])).toHaveLength(3);
    expect(svc.list([])).toEqual([]);
    expect(svc.get(inB.id, [STREET_A])).toBeNull();
    expect(svc.history(inB.id, [STREET_A])).toBeNull();
    expect(svc.eventIds(inB.id, [STREET_A])).toBeNull();
    expect(svc.get(inB.id, [STREET_B])).toMatchObject({ id: inB.id });
  });

  it('answers an out-of-scope change exactly like a missing alert', () => {
    const { svc, inB } = setup();
    const attempt = (id: string) => {
      try {
        svc.dispatch(id, [STREET_A], { actor: 'leader-a', assignee: { type: 'user', id: 'x' } });
      } catch (e) {
        return e as AlertError;
      }
      throw new Error('expected a refusal');
    };
    const other = attempt(inB.id);
    const missing = attempt('01JZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(other.code).toBe('ALERT_NOT_FOUND');
    expect(missing.code).toBe('ALERT_NOT_FOUND');
    expect(other.message.replace(inB.id, 'ID')).toBe(missing.message.replace('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'ID'));
    expect(svc.get(inB.id, CITY)!.state).toBe('raised');
  });

  it('rejects scope prefixes that could widen a LIKE (wildcards, empty, non-digits)', () => {
    const { svc } = setup();
    for (const bad of [['%'], ['3413_'], [''], ['34130200100100100'], [1 as unknown as string]]) {
      expect(() => svc.list(bad)).toThrow(ValidationError);
      expect(() => svc.get('x', bad)).toThrow(ValidationError);
    }
  });

  it('filters by state, severity, kind, escalation and raise time', () => {
    const { svc, clock, inA, inA2, inB } = setup();
    const T = inA.raisedAt;
    svc.dispatch(inA.id, CITY, { actor: 'op', assignee: { type: 'team', id: 'grid-1' } });
    clock.advance(60 * MIN);
    svc.tick();
    const ids = (f: Parameters<typeof svc.list>[1]) => svc.list(CITY, f).map((a) => a.id);
    expect(ids({ states: ['dispatched'] })).toEqual([inA.id]);
    expect(ids({ states: ['raised', 'dispatched'] })).toEqual([inB.id, inA2.id, inA.id]);
    expect(ids({ severities: ['warning'] })).toEqual([inA2.id]);
    expect(ids({ kinds: ['elevator.entrapment'] })).toEqual([inA2.id]);
    expect(ids({ from: T + MIN, to: T + 2 * MIN })).toEqual([inA2.id]);
    expect(ids({ escalated: true }).length).toBe(3);
    expect(ids({ escalated: false })).toEqual([]);
    expect(ids({ limit: 1 })).toEqual([inB.id]);
    expect(() => svc.list(CITY, { states: ['open' as never], limit: 0 })).toThrow(/states\[0\].*limit/s);
    expect(() => svc.list(CITY, { where: '1=1' } as never)).toThrow(/where is not an allowed field/);
  });
});
