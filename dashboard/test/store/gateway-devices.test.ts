import { createIdFactory, type LinliEvent } from '@linli/contract';
import { expect, it } from 'vitest';
import { GatewayDevices } from '../../src/store/gateway-devices.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';

const A1 = '341302001001001';
const A2 = '341302001001002';
const nextId = createIdFactory();
const ev = (seq: number): LinliEvent => ({
  v: 1,
  id: nextId(),
  gatewayId: 'gw-a',
  seq,
  deviceTime: 1,
  receivedAt: 1,
  deviceId: 'sos-01',
  kind: 'sos.call',
  severity: 'critical',
  location: { lng: 117, lat: 33.6, gridId: A1 },
  payload: {},
});

describeEachDialect('gateway devices and refused sequences', (ctx) => {
  async function setup() {
    const store = new SqlHubStore(ctx.db);
    await store.upsertGateway('gw-a', 'a'.repeat(64), '341302001001');
    return { store, devices: new GatewayDevices(ctx.db) };
  }

  it('records a declaration and returns what changed; removed devices are retired after the given sequence', async () => {
    const { devices } = await setup();
    expect(await devices.load('gw-a')).toEqual({ declared: false, devices: [] });
    const first = await devices.declare(
      'gw-a',
      [
        { id: 'sos-01', type: 'sos', gridId: A1 },
        { id: 'gate-01', type: 'gate', gridId: A1 },
      ],
      0,
      1000,
    );
    expect(first).toMatchObject({ removed: [], changed: [] });
    expect(first.added.map((d) => d.id)).toEqual(['sos-01', 'gate-01']);
    const second = await devices.declare('gw-a', [{ id: 'sos-01', type: 'sos', gridId: A2 }], 42, 2000);
    expect(second).toEqual({
      added: [],
      removed: [{ id: 'gate-01', type: 'gate', gridId: A1 }],
      changed: [
        { before: { id: 'sos-01', type: 'sos', gridId: A1 }, after: { id: 'sos-01', type: 'sos', gridId: A2 } },
      ],
    });
    const loaded = await devices.load('gw-a');
    expect(loaded.declared).toBe(true);
    expect(loaded.devices.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'gate-01', type: 'gate', gridId: A1, retiredAfterSeq: 42 },
      { id: 'sos-01', type: 'sos', gridId: A2, retiredAfterSeq: null },
    ]);
    // Declared again: current once more, nothing else changed.
    const back = await devices.declare(
      'gw-a',
      [
        { id: 'sos-01', type: 'sos', gridId: A2 },
        { id: 'gate-01', type: 'gate', gridId: A1 },
      ],
      50,
      3000,
    );
    expect(back.added.map((d) => d.id)).toEqual(['gate-01']);
    expect((await devices.load('gw-a')).devices.every((d) => d.retiredAfterSeq === null)).toBe(true);
  });

  it('moves the watermark across refused sequences, counts them once, and still stops at a gap', async () => {
    const { store, devices } = await setup();
    const r = await store.ingest('gw-a', [ev(1), ev(3)], [], [2]);
    expect(r).toMatchObject({ ackSeq: 3, gap: false, rejected: [2], lost: 0 });
    expect(r.inserted.map((e) => e.seq)).toEqual([1, 3]);
    // A resend of the same batch: all duplicates, nothing counted twice.
    expect(await store.ingest('gw-a', [ev(1), ev(3)], [], [2])).toMatchObject({ ackSeq: 3, rejected: [] });
    // A refused sequence after a gap does not move the watermark.
    expect(await store.ingest('gw-a', [], [], [5])).toMatchObject({ ackSeq: 3, gap: true, rejected: [] });
    expect(await devices.rejectedCount('gw-a')).toBe(1);
    expect((await store.recentEvents(10)).map((e) => e.seq)).toEqual([1, 3]);
  });
});
