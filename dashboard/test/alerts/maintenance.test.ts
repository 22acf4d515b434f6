import { ValidationError } from '@linli/contract';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/dialects.js';
import { AlertError } from '../../src/alerts/index.js';
import { CITY, entrapment, GRID_A, GRID_A2, GRID_B, MIN, service, smoke, STREET_A, STREET_B, T0 } from './fixtures.js';

const window = (over: Record<string, unknown> = {}) => ({
  areaPrefix: STREET_A,
  startsAt: T0,
  endsAt: T0 + 60 * MIN,
  reason: '消防系统年检 annual fire-system inspection',
  ...over,
});

describeEachDialect('maintenance windows', (ctx) => {
  it('suppresses alarms inside a window (area, time) and says which window in the history', async () => {
    const { svc } = service(ctx.db);
    const w = await svc.windows.create(window(), 'op-zhang', [STREET_A]);
    const [a] = await svc.ingest([smoke({ receivedAt: T0 + 10 * MIN })]);
    expect(a).toMatchObject({ state: 'suppressed', windowId: w.id, dueAt: null });
    expect((await svc.history(a!.id, CITY))!.map((h) => [h.action, h.from, h.to])).toEqual([
      ['raise', null, 'raised'],
      ['suppress', 'raised', 'suppressed'],
    ]);
    expect((await svc.history(a!.id, CITY))![1]!.note).toContain(w.id);
  });

  it('matches on area prefix, device, kind and [start, end)', async () => {
    const { svc } = service(ctx.db);
    await svc.windows.create(window({ areaPrefix: GRID_A, deviceId: 'smoke-01', kind: 'smoke.alarm' }), 'op', CITY);
    const states = async (e: Parameters<typeof svc.ingest>[0][number]) => (await svc.ingest([e]))[0]!.state;
    expect(await states(smoke({ receivedAt: T0 }))).toBe('suppressed');
    expect(await states(smoke({ deviceId: 'smoke-02' }))).toBe('raised');
    expect(await states(smoke({ gridId: GRID_A2 }))).toBe('raised');
    expect(await states(smoke({ gridId: GRID_B }))).toBe('raised');
    expect(await states(entrapment({ deviceId: 'smoke-01' }))).toBe('raised');
    expect(await states(smoke({ gatewayId: 'gw-end', receivedAt: T0 + 60 * MIN }))).toBe('raised');
    expect(await states(smoke({ gatewayId: 'gw-before', receivedAt: T0 - 1 }))).toBe('raised');
  });

  it('lets a real alarm after the window surface instead of folding into the suppressed alert', async () => {
    const { svc } = service(ctx.db, { config: { foldWindowMs: 30 * MIN } });
    await svc.windows.create(window({ endsAt: T0 + 10 * MIN }), 'op', CITY);
    const [s] = await svc.ingest([smoke({ receivedAt: T0 + 9 * MIN })]);
    const [r] = await svc.ingest([smoke({ receivedAt: T0 + 11 * MIN })]);
    expect(s!.state).toBe('suppressed');
    expect(r).toMatchObject({ state: 'raised', count: 1 });
    expect(r!.id).not.toBe(s!.id);
    // A repeat from inside the window joins the latest open alert, here the raised one: suppression never hides it.
    expect((await svc.ingest([smoke({ receivedAt: T0 + 9 * MIN + 1 })]))[0]).toMatchObject({ id: r!.id, count: 2 });
  });

  it('a suppressed alert can be brought back (unsuppress) or resolved', async () => {
    const { svc } = service(ctx.db);
    await svc.windows.create(window(), 'op', CITY);
    const [a, b] = await svc.ingest([smoke(), smoke({ deviceId: 'smoke-02' })]);
    const back = await svc.unsuppress(a!.id, CITY, { actor: 'op', note: 'real fire, not the test' });
    expect(back).toMatchObject({ state: 'raised', windowId: null });
    expect(back.dueAt).not.toBeNull();
    expect((await svc.resolve(b!.id, CITY, { actor: 'op', note: 'inspection done' })).state).toBe('resolved');
  });

  it('does CRUD inside the caller area only, and shows covering windows read-only', async () => {
    const { svc } = service(ctx.db);
    const wide = await svc.windows.create(window({ areaPrefix: '341302' }), 'city-op', CITY);
    const mine = await svc.windows.create(window({ areaPrefix: GRID_A }), 'leader-a', [STREET_A]);
    await expect(svc.windows.create(window({ areaPrefix: STREET_B }), 'leader-a', [STREET_A])).rejects.toThrow(
      /areaPrefix must lie inside your area/,
    );
    expect((await svc.windows.list([STREET_A])).map((w) => w.id)).toEqual([wide.id, mine.id]);
    expect((await svc.windows.list([STREET_B])).map((w) => w.id)).toEqual([wide.id]);
    expect(await svc.windows.get(mine.id, [STREET_B])).toBeNull();
    await expect(svc.windows.remove(wide.id, [STREET_A])).rejects.toThrow(AlertError);
    await expect(svc.windows.update(mine.id, { reason: 'x' }, [STREET_B])).rejects.toThrow(/no maintenance window/);

    const moved = await svc.windows.update(mine.id, { endsAt: T0 + 5 * MIN, kind: 'gas.alarm' }, [STREET_A]);
    expect(moved).toMatchObject({ endsAt: T0 + 5 * MIN, kind: 'gas.alarm', areaPrefix: GRID_A, createdBy: 'leader-a' });
    expect((await svc.windows.list(CITY, T0 + 10 * MIN)).map((w) => w.id)).toEqual([wide.id]);
    expect((await svc.windows.remove(mine.id, [STREET_A])).id).toBe(mine.id);
    expect((await svc.windows.list(CITY)).map((w) => w.id)).toEqual([wide.id]);
  });

  it('rejects a bad window with every problem listed', async () => {
    const { svc } = service(ctx.db);
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
