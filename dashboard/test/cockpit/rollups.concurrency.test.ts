import type { LinliEvent } from '@linli/contract';
import { expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-01T00:00:00+08:00');

/** Events of one gateway, all in the same two grids, cells and hours as the other gateways' (the same roll-up keys). */
function eventsOf(gw: string, n: number): LinliEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const at = T0 + (i % 3) * HOUR + i;
    return {
      v: 1,
      id: `${gw}-${i}`,
      gatewayId: gw,
      seq: i + 1,
      deviceId: `d${i % 4}`,
      kind: i % 2 ? 'gate.pass' : 'meter.reading',
      severity: 'info',
      deviceTime: at,
      receivedAt: at,
      location: { lng: 116.981 + (i % 2) * 0.001, lat: 33.641, gridId: `34130200100100${i % 2}` },
      payload: {},
    } as unknown as LinliEvent;
  });
}

describeEachDialect('roll-ups under concurrent ingest', (ctx) => {
  it('count every event once when several gateways upsert the same keys at the same time, resends included', async () => {
    const store = new SqlHubStore(ctx.db);
    const gateways = ['gw-a', 'gw-b', 'gw-c', 'gw-d'];
    for (const gw of gateways) await store.upsertGateway(gw, 'x'.repeat(64), '341302001');
    // Batches of all gateways interleaved and sent at once (PostgreSQL runs them on separate connections);
    // every batch is also sent twice.
    await Promise.all(
      gateways.map(async (gw) => {
        const all = eventsOf(gw, 600);
        for (let i = 0; i < all.length; i += 50) {
          const batch = all.slice(i, i + 50);
          await Promise.all([store.ingest(gw, batch), store.ingest(gw, batch)]);
        }
      }),
    );
    const q = new CockpitQueries(ctx.db);
    expect(await q.countEvents('341302001', T0, T0 + 3 * HOUR)).toBe(2400);
    expect(await q.heat('341302001', T0, T0 + 3 * HOUR, null)).toEqual(
      await q.scan.heat('341302001', T0, T0 + 3 * HOUR, null),
    );
    expect((await q.heat('341302001', T0, T0 + 3 * HOUR, null)).map((c) => c.n)).toEqual([1200, 1200]);
  });
});
