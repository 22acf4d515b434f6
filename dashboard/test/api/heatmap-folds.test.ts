import type { LinliEvent } from '@linli/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, eventAt, startTestHub } from '../../../test/helpers/hub-fixture.js';

type TestHub = Awaited<ReturnType<typeof startTestHub>>;

const HOUR = 3_600_000;

/**
 * The heatmap through a real hub: its Server-Timing header says how a read was
 * served, the settled buckets come from folds once the hub has made them, and
 * a gateway's late backlog into those buckets (over its socket, as after an
 * outage) is counted at once, not hidden behind a stale fold.
 */
describe('GET /api/heatmap over settled buckets', () => {
  let h: TestHub;
  let token: string;
  // Whole hours two days ago: every bucket of the window has settled.
  const from = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR;
  const to = from + 12 * HOUR;
  const read = async (a = from, b = to) => {
    const r = await h.api('GET', `/api/heatmap?from=${a}&to=${b}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const m = /buckets (\d+), folded (\d+), waiting (\d+)/.exec(r.headers.get('server-timing') ?? '');
    expect(m, `server-timing: ${r.headers.get('server-timing')}`).not.toBeNull();
    const [buckets, folded, waiting] = m!.slice(1).map(Number) as [number, number, number];
    return { total: r.body.total as number, buckets, folded, waiting };
  };
  /** Until the hub has folded what the reads so far missed (a millisecond's window holds no bucket). */
  const foldsMade = async () => {
    while ((await read(from, from + 1)).waiting > 0) await new Promise((r) => setTimeout(r, 20));
  };
  const at = (t: number, over: Partial<LinliEvent> = {}) =>
    eventAt('gw-heat', AREAS.gridA1, 'smoke.alarm', { deviceTime: t, receivedAt: t, ...over } as Partial<LinliEvent>);

  beforeAll(async () => {
    h = await startTestHub();
    token = (await h.user('heat-op', 'city_operator', AREAS.city)).token;
  });
  afterAll(async () => h.stop());

  it('is served from folds once made, and counts a late backlog into them at once', async () => {
    const s = await h.gatewaySocket('gw-heat', await h.gateway('gw-heat', AREAS.communityA));
    const early = Array.from({ length: 30 }, (_, i) => at(from + i * 20 * 60_000));
    expect(await s.timeout(30_000).emitWithAck('events', { events: early })).toMatchObject({ ok: true });

    const first = await read();
    expect(first).toMatchObject({ total: 30, folded: 0 });
    expect(first.buckets).toBeGreaterThan(0);
    await foldsMade();
    expect(await read()).toMatchObject({ total: 30, buckets: first.buckets, folded: first.buckets });

    // The same gateway's backlog after an outage: ten more events inside the window's first hours.
    const late = Array.from({ length: 10 }, (_, i) => at(from + 5 * 60_000 + i * 60_000));
    expect(await s.timeout(30_000).emitWithAck('events', { events: late })).toMatchObject({ ok: true });
    const after = await read();
    expect(after.total).toBe(40);
    expect(after.folded).toBeLessThan(first.buckets);
    s.disconnect();
  });

  it('names each cell by whole cell numbers: centre = number × cellDegrees, the events counted where they were', async () => {
    const s = await h.gatewaySocket('gw-heat-cells', await h.gateway('gw-heat-cells', AREAS.communityA));
    const t = to + HOUR;
    const where = (lng: number, lat: number) => ({ location: { lng, lat, gridId: AREAS.gridA1 } });
    const events = [
      eventAt('gw-heat-cells', AREAS.gridA1, 'smoke.alarm', {
        deviceTime: t,
        receivedAt: t,
        ...where(116.98712, 33.61234),
      }),
      eventAt('gw-heat-cells', AREAS.gridA1, 'smoke.alarm', {
        deviceTime: t + 1,
        receivedAt: t + 1,
        ...where(116.98741, 33.61178),
      }),
      eventAt('gw-heat-cells', AREAS.gridA1, 'smoke.alarm', {
        deviceTime: t + 2,
        receivedAt: t + 2,
        ...where(116.98349, 33.61461),
      }),
    ] as LinliEvent[];
    expect(await s.timeout(30_000).emitWithAck('events', { events })).toMatchObject({ ok: true });
    const r = await h.api('GET', `/api/heatmap?from=${t}&to=${t + HOUR}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const body = r.body as { cellDegrees: number; cells: (number | null)[]; weights: number[]; total: number };
    expect(body.cellDegrees).toBe(0.001);
    expect(body.cells.every((c) => Number.isInteger(c))).toBe(true);
    const byCell = Object.fromEntries(body.weights.map((w, i) => [`${body.cells[2 * i]},${body.cells[2 * i + 1]}`, w]));
    expect(byCell).toEqual({ '116987,33612': 2, '116983,33615': 1 });
    expect(body.total).toBe(3);
    s.disconnect();
  });
});
