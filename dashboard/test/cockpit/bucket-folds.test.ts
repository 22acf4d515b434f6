import type { LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { Folds, KeyIds } from '../../src/api/routes/bucket-folds.js';
import { raiseEpoch, SETTLE_MS } from '../../src/store/rollups/generations.js';
import { readSealed } from '../../src/store/rollups/seals.js';
import { planWindow } from '../../src/store/rollups/spans.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';

// Ended buckets' heat and grid counts are folded once per hub node and kept (api/routes/folded-buckets.ts);
// these hold the folds
// to what the roll-ups say when a gateway's backlog lands in buckets another node has folded, and show
// that a second read is served from the folds at all.

const HOUR = 3_600_000;
const DAY = 86_400_000;
const GRIDS = ['341302001001001', '341302001001002', '341302009001001'];
const byGrid = (rows: { grid: string; n: number }[]) => [...rows].sort((a, b) => (a.grid < b.grid ? -1 : 1));

function events(gw: string, from: number, n: number, step: number, firstSeq = 1): LinliEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const at = from + i * step;
    return {
      v: 1,
      id: `${gw}-${firstSeq + i}`,
      gatewayId: gw,
      seq: firstSeq + i,
      deviceId: `d${i % 5}`,
      kind: i % 2 ? 'gate.pass' : 'meter.reading',
      severity: 'info',
      deviceTime: at,
      receivedAt: at,
      location: { lng: 116.98 + (i % 7) * 0.001, lat: 33.64 + (i % 3) * 0.001, gridId: GRIDS[i % GRIDS.length]! },
      payload: {},
    } as unknown as LinliEvent;
  });
}

describeEachDialect('heat folds of ended buckets', (ctx) => {
  // Two days ago, on a China Standard Time midnight: a window of whole days, quarters and hours, all ended.
  const T0 = Math.floor((Date.now() - 3 * DAY) / DAY) * DAY - 8 * HOUR;
  const from = T0 + 5 * HOUR;
  const to = T0 + 2 * DAY;

  it("stay equal to the roll-ups when another node ingests a gateway's backlog into them", async () => {
    const store = new SqlHubStore(ctx.db);
    for (const gw of ['gw-a', 'gw-b']) await store.upsertGateway(gw, 'x'.repeat(64), '3413');
    await store.ingest('gw-a', events('gw-a', T0, 400, 7 * 60_000));
    const nodeA = new CockpitQueries(ctx.db);
    const before = await nodeA.heat('341300', from, to, null);
    expect(before).toEqual(await nodeA.scan.heat('341300', from, to, null));
    const gridsBefore = byGrid(await nodeA.eventsByGrid('341302', from, to));
    expect(gridsBefore).toEqual(byGrid(await nodeA.scan.eventsByGrid('341302', from, to)));
    await nodeA.foldsIdle();
    expect(nodeA.folds.size.folds).toBeGreaterThan(3);
    expect(nodeA.gridFolds.size.folds).toBeGreaterThan(3);
    expect(await nodeA.heat('341300', from, to, null)).toEqual(before);
    expect(byGrid(await nodeA.eventsByGrid('341302', from, to))).toEqual(gridsBefore);
    // Node B (its own folds) takes gw-b's backlog: two days of events, all in buckets node A has folded.
    const nodeB = new CockpitQueries(ctx.db);
    await new SqlHubStore(ctx.db).ingest('gw-b', events('gw-b', T0 + 30_000, 300, 9 * 60_000));
    const after = await nodeA.heat('341300', from, to, null);
    expect(after).toEqual(await nodeA.scan.heat('341300', from, to, null));
    expect(after.reduce((s, c) => s + c.n, 0)).toBeGreaterThan(before.reduce((s, c) => s + c.n, 0));
    expect(await nodeB.heat('341300', from, to, null)).toEqual(after);
    const gridsAfter = byGrid(await nodeA.eventsByGrid('341302', from, to));
    expect(gridsAfter).toEqual(byGrid(await nodeA.scan.eventsByGrid('341302', from, to)));
    expect(await nodeA.countEvents('341300', from, to)).toBe(after.reduce((s, c) => s + c.n, 0));
    await Promise.all([nodeA.foldsIdle(), nodeB.foldsIdle()]);
    // Retention takes the oldest hours away from under both nodes' folds.
    while ((await store.pruneEvents(T0 + 12 * HOUR, 50)) > 0);
    expect(await nodeA.heat('341300', from, to, null)).toEqual(await nodeA.scan.heat('341300', from, to, null));
    expect(byGrid(await nodeA.eventsByGrid('341302', from, to))).toEqual(
      byGrid(await nodeA.scan.eventsByGrid('341302', from, to)),
    );
    expect(await nodeB.heat('341300', from, to, null)).toEqual(await nodeA.scan.heat('341300', from, to, null));
  });

  it('are what a second read is served from, until the epoch is raised', async () => {
    const store = new SqlHubStore(ctx.db);
    await store.upsertGateway('gw-a', 'x'.repeat(64), '3413');
    await store.ingest('gw-a', events('gw-a', T0, 400, 7 * 60_000));
    const q = new CockpitQueries(ctx.db);
    const first = await q.heat('341302001', from, to, ['gate.pass']);
    expect(first.length).toBeGreaterThan(0);
    // The read found no folds, read the rows and asked for the settled buckets to be folded.
    await q.foldsIdle();
    // Rows taken away around the store, as a bulk tool would: the folds do not see it...
    await ctx.db.run('DELETE FROM rollup_cells');
    expect(await q.heat('341302001', from, to, ['gate.pass'])).toEqual(first);
    // ...another scope or kind filter is folded apart and reads the rows as they are now...
    expect(await q.heat('341302001', from, to, ['meter.reading'])).toEqual([]);
    await q.foldsIdle();
    // ...until the epoch says every fold is stale.
    await raiseEpoch(ctx.db);
    expect(await q.heat('341302001', from, to, ['gate.pass'])).toEqual([]);
  });

  it('leave out buckets that have not settled, which are read from their rows every time', async () => {
    const store = new SqlHubStore(ctx.db);
    await store.upsertGateway('gw-a', 'x'.repeat(64), '3413');
    const now = Date.now();
    const start = Math.floor((now - 5 * HOUR) / HOUR) * HOUR;
    await store.ingest('gw-a', events('gw-a', start, 40, 5 * 60_000));
    const q = new CockpitQueries(ctx.db);
    const window: [number, number] = [start, Math.floor(now / HOUR) * HOUR + HOUR];
    const one = await q.heat('341300', ...window, null);
    const after = Date.now();
    await q.foldsIdle();
    // Buckets that ended SETTLE_MS ago or more are folded; the current hour, and the last one while it settles, not.
    const plan = planWindow(...window, await readSealed(ctx.db));
    const pieces = [...plan.quarters.map((at) => at + 6 * HOUR), ...plan.hours.map((at) => at + HOUR)];
    const settled = (t: number) => pieces.filter((end) => end <= t - SETTLE_MS).length;
    expect(settled(now)).toBeLessThan(pieces.length);
    expect([settled(now), settled(after)]).toContain(q.folds.size.folds);
    // Events arriving now land in the open hour and are counted at once, without any generation raised.
    await store.ingest('gw-a', events('gw-a', now - 60_000, 5, 1000, 41));
    const two = await q.heat('341300', ...window, null);
    expect(two.reduce((s, c) => s + c.n, 0)).toBe(one.reduce((s, c) => s + c.n, 0) + 5);
    expect(two).toEqual(await q.scan.heat('341300', ...window, null));
  });
});

describe('Folds', () => {
  const fold = (dict: KeyIds<number>, cells: number) => ({
    dict,
    epoch: 0,
    gen: 0,
    ids: Uint32Array.from({ length: cells }, (_, i) => dict.id(i)),
    n: new Float64Array(cells).fill(1),
  });

  it('keeps at most its cells, dropping the least recently used folds first', () => {
    const folds = new Folds<number>(100);
    const dict = folds.ids();
    folds.put('a', 1, 0, fold(dict, 40));
    folds.put('a', 1, 1, fold(dict, 40));
    expect(folds.get(dict, 'a', 1, 0, 0, 0)).toBeDefined(); // now the most recently used
    folds.put('a', 1, 2, fold(dict, 40));
    expect(folds.size).toEqual({ folds: 2, cells: 80 });
    expect(folds.get(dict, 'a', 1, 1, 0, 0)).toBeUndefined();
    expect(folds.get(dict, 'a', 1, 0, 0, 0)).toBeDefined();
    // One fold larger than the whole budget is not kept.
    folds.put('a', 1, 3, fold(dict, 101));
    expect(folds.get(dict, 'a', 1, 3, 0, 0)).toBeUndefined();
  });

  it('drops a fold made at another generation or epoch', () => {
    const folds = new Folds<number>();
    const dict = folds.ids();
    folds.put('a', 1, 0, fold(dict, 3));
    expect(folds.get(dict, 'a', 1, 0, 0, 1)).toBeUndefined();
    folds.put('a', 1, 0, fold(dict, 3));
    expect(folds.get(dict, 'a', 1, 0, 1, 0)).toBeUndefined();
    expect(folds.size).toEqual({ folds: 0, cells: 0 });
  });

  it('starts a fresh dictionary past its key budget, and the folds numbered by the old one miss', () => {
    const folds = new Folds<number>(1000, 10);
    const old = folds.ids();
    folds.put('a', 1, 0, fold(old, 11));
    const fresh = folds.ids();
    expect(fresh).not.toBe(old);
    expect(folds.get(fresh, 'a', 1, 0, 0, 0)).toBeUndefined();
    // A read still holding the old dictionary does not find its folds kept either.
    folds.put('a', 1, 1, fold(old, 2));
    expect(folds.get(fresh, 'a', 1, 1, 0, 0)).toBeUndefined();
  });
});
