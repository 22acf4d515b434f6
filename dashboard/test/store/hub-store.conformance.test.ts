import { createIdFactory, type LinliEvent } from '@linli/contract';
import { expect, it } from 'vitest';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';

const DAY = 86_400_000;
const nextId = createIdFactory();
const ev = (seq: number, gatewayId = 'gw-a', receivedAt = Date.now()): LinliEvent => ({
  v: 1,
  id: nextId(),
  gatewayId,
  seq,
  deviceTime: receivedAt,
  receivedAt,
  deviceId: 'meter-01',
  kind: 'meter.reading',
  severity: 'info',
  location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
  payload: { medium: 'water', values: { flow: seq }, units: { flow: 'm3' } },
});
const seqs = (from: number, to: number, gw?: string, receivedAt?: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ev(from + i, gw, receivedAt));

/**
 * The hub store's contract, run on SQLite and on PostgreSQL: the same
 * statements, the same answers. Every test gets a fresh migrated database.
 */
describeEachDialect('hub store', (ctx) => {
  async function store() {
    const s = new SqlHubStore(ctx.db);
    await s.upsertGateway('gw-a', 'a'.repeat(64), '341302001001');
    await s.upsertGateway('gw-b', 'b'.repeat(64), '341302002001');
    return s;
  }

  it('stores a batch and acknowledges its last sequence', async () => {
    const s = await store();
    const r = await s.ingest('gw-a', seqs(1, 5));
    expect(r).toMatchObject({ ackSeq: 5, duplicates: 0, gap: false });
    expect(r.inserted.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await s.lastSeq('gw-a')).toBe(5);
  });

  it('stores a replayed batch once (deduplication by gateway and sequence)', async () => {
    const s = await store();
    await s.ingest('gw-a', seqs(1, 5));
    const replay = await s.ingest('gw-a', seqs(3, 8));
    expect(replay).toMatchObject({ ackSeq: 8, duplicates: 3 });
    expect(replay.inserted.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect((await s.recentEvents(100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('stores a large batch (several INSERT chunks) whole and in order', async () => {
    const s = await store();
    const r = await s.ingest('gw-a', seqs(1, 1234));
    expect(r.ackSeq).toBe(1234);
    expect(r.inserted).toHaveLength(1234);
    const back = await s.recentEvents(2000);
    expect(back.map((e) => e.seq)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    expect(back[7]).toEqual(r.inserted[7]);
  });

  it('stops at a gap and acknowledges only the contiguous prefix, so order is never broken', async () => {
    const s = await store();
    const r = await s.ingest('gw-a', [...seqs(1, 3), ...seqs(5, 6)]);
    expect(r).toMatchObject({ ackSeq: 3, gap: true });
    expect(await s.lastSeq('gw-a')).toBe(3);
    expect((await s.ingest('gw-a', seqs(4, 6))).ackSeq).toBe(6);
  });

  it('keeps gateways apart', async () => {
    const s = await store();
    await s.ingest('gw-a', seqs(1, 3));
    expect((await s.ingest('gw-b', seqs(1, 2, 'gw-b'))).ackSeq).toBe(2);
    expect(await s.lastSeq('gw-a')).toBe(3);
  });

  it('refuses batches of unknown gateways without storing anything', async () => {
    const s = await store();
    await expect(s.ingest('gw-x', seqs(1, 2, 'gw-x'))).rejects.toThrow(/unknown gateway/);
    expect(await s.recentEvents(10)).toEqual([]);
  });

  it('moves the watermark across evicted ranges and counts what was lost', async () => {
    const s = await store();
    const r = await s.ingest('gw-a', [ev(1), ev(2), ev(6)], [{ fromSeq: 3, toSeq: 5 }]);
    expect(r).toMatchObject({ ackSeq: 6, lost: 3, gap: false });
    expect((await s.gatewayStates(0)).find((g) => g.id === 'gw-a')?.lostTelemetry).toBe(3);
    // A range that reaches past a hole is still a gap.
    expect(await s.ingest('gw-a', [ev(9)], [{ fromSeq: 8, toSeq: 8 }])).toMatchObject({ ackSeq: 6, gap: true });
  });

  it('does not count as lost an evicted sequence the hub already has', async () => {
    const s = await store();
    await s.ingest('gw-a', seqs(1, 2));
    await s.ingestLive('gw-a', [ev(4)]);
    expect(await s.ingest('gw-a', [], [{ fromSeq: 3, toSeq: 5 }])).toMatchObject({ ackSeq: 5, lost: 2 });
  });

  it('stores live-lane alarms ahead of the watermark once, and the backlog later dedupes them', async () => {
    const s = await store();
    await s.ingest('gw-a', seqs(1, 2));
    const alarm = ev(50);
    expect((await s.ingestLive('gw-a', [alarm])).map((e) => e.seq)).toEqual([50]);
    expect(await s.ingestLive('gw-a', [alarm])).toEqual([]);
    expect(await s.lastSeq('gw-a')).toBe(2);
    const backlog = await s.ingest('gw-a', [...seqs(3, 49), alarm, ...seqs(51, 60)]);
    expect(backlog.ackSeq).toBe(60);
    expect(backlog.inserted.map((e) => e.seq)).not.toContain(50);
    expect(backlog.duplicates).toBe(1);
    expect(await s.recentEvents(1000)).toHaveLength(60);
  });

  it('stores a sequence repeated in one live batch once, and dedupes a backlog that spans days against it', async () => {
    const s = await store();
    await s.ingest('gw-a', seqs(1, 2));
    // Days apart: on PostgreSQL, rows in different partitions of the events table.
    const early = ev(10, 'gw-a', Date.now() - 3 * DAY);
    const late = ev(11);
    expect((await s.ingestLive('gw-a', [early, early, late])).map((e) => e.seq)).toEqual([10, 11]);
    const backlog = await s.ingest('gw-a', [...seqs(3, 9, 'gw-a', Date.now() - 5 * DAY), early, late, ev(12)]);
    expect(backlog).toMatchObject({ ackSeq: 12, duplicates: 2 });
    expect(backlog.inserted.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 12]);
    expect(await s.recentEvents(1000)).toHaveLength(12);
  });

  it('stores each event once when two nodes ingest the same gateway at the same moment', async () => {
    const s = await store();
    // Two connections of one gateway (its reconnect landed on another node while the old one was still served).
    const batches = Array.from({ length: 6 }, (_, i) => seqs(1, 40 + i * 10));
    const results = await Promise.all(batches.map((b) => s.ingest('gw-a', b)));
    const inserted = results.flatMap((r) => r.inserted.map((e) => e.seq)).sort((a, b) => a - b);
    expect(inserted).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(await s.lastSeq('gw-a')).toBe(90);
    expect(await s.recentEvents(1000)).toHaveLength(90);
  });

  it('records gateway status, the clock skew and which live node holds the gateway', async () => {
    const s = await store();
    const status = {
      now: 1_000_000 + 45_000,
      buffer: {
        depth: 5,
        bytes: 900,
        lastSeq: 9,
        oldestReceivedAt: 1,
        evictedTelemetry: 0,
        refusedAlarms: 0,
        diskFull: false,
      },
      devices: { total: 3, online: 2 },
      replayRate: 0,
    };
    await s.recordStatus('gw-b', status, 1_000_000);
    expect((await s.gatewayStates(0)).find((g) => g.id === 'gw-b')).toMatchObject({
      clockSkewMs: 45_000,
      status,
      connected: false,
    });
    await s.heartbeat('node-a', 5_000);
    await s.setGatewayNode('gw-b', 'node-a');
    expect((await s.gatewayStates(4_000)).find((g) => g.id === 'gw-b')?.connected).toBe(true);
    // The node went quiet: its gateways no longer count as connected.
    expect((await s.gatewayStates(6_000)).find((g) => g.id === 'gw-b')?.connected).toBe(false);
    // Node B took the gateway over; node A's late disconnect must not clear it.
    await s.heartbeat('node-b', 7_000);
    await s.setGatewayNode('gw-b', 'node-b');
    await s.setGatewayNode('gw-b', null, 'node-a');
    expect((await s.gatewayStates(6_000)).find((g) => g.id === 'gw-b')?.connected).toBe(true);
  });

  it('deletes events past retention by their own time, and still refuses their late resend', async () => {
    const s = await store();
    const old = Date.now() - 200 * DAY;
    await s.ingest('gw-a', [...seqs(1, 6, 'gw-a', old), ...seqs(7, 10)]);
    const cutoff = Date.now() - 180 * DAY;
    let total = 0;
    for (let i = 0; i < 5; i++) total += await s.pruneEvents(cutoff, 4);
    expect(total).toBe(6);
    expect((await s.recentEvents(100)).map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    // The watermark is untouched: a resend of a pruned event is a duplicate, not a new event.
    const again = await s.ingest('gw-a', seqs(1, 3, 'gw-a', old));
    expect(again).toMatchObject({ ackSeq: 10, inserted: [], duplicates: 3 });
  });

  it('answers an area scope with only the events inside it, and finds an event by sequence', async () => {
    const s = await store();
    const b = seqs(1, 3, 'gw-b').map((e) => ({ ...e, location: { ...e.location, gridId: '341302002001001' } }));
    await s.ingest('gw-a', seqs(1, 2));
    await s.ingest('gw-b', b);
    expect((await s.recentEvents(10, '341302002')).map((e) => e.gatewayId)).toEqual(['gw-b', 'gw-b', 'gw-b']);
    expect(await s.recentEvents(10, '341302003')).toEqual([]);
    await expect(s.recentEvents(10, "3' OR 1=1")).rejects.toThrow(/bad scope/);
    expect(await s.eventRefAt('gw-b', 2)).toEqual({ id: b[1]!.id, gridId: '341302002001001' });
    expect(await s.eventRefAt('gw-b', 9)).toBeNull();
  });

  it('revokes a gateway and re-keys it, keeping its area', async () => {
    const s = await store();
    expect(await s.revokeGateway('gw-a')).toBe(true);
    expect(await s.revokeGateway('gw-none')).toBe(false);
    expect(await s.gateway('gw-a')).toMatchObject({ revoked: true, areaCode: '341302001001' });
    await s.upsertGateway('gw-a', 'c'.repeat(64));
    expect(await s.gateway('gw-a')).toMatchObject({
      revoked: false,
      tokenHash: 'c'.repeat(64),
      areaCode: '341302001001',
    });
  });

  it('keeps settings', async () => {
    const s = await store();
    expect(await s.getSetting('k')).toBeNull();
    await s.setSetting('k', 'v1');
    await s.setSetting('k', 'v2');
    expect(await s.getSetting('k')).toBe('v2');
  });

  it('rolls a failed transaction back whole and serialises writers', async () => {
    await expect(
      ctx.db.tx(async (t) => {
        await t.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['x', '1']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await ctx.db.get('SELECT value FROM settings WHERE key = ?', ['x'])).toBeUndefined();
    // Ten read-modify-write transactions at once: with the lock none is lost.
    await ctx.db.run('INSERT INTO settings (key, value) VALUES (?, ?)', ['n', '0']);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        ctx.db.tx(async (t) => {
          await t.lock('counter');
          const r = await t.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', ['n']);
          await t.run('UPDATE settings SET value = ? WHERE key = ?', [String(Number(r!.value) + 1), 'n']);
        }),
      ),
    );
    expect(await ctx.db.get('SELECT value FROM settings WHERE key = ?', ['n'])).toEqual({ value: '10' });
  });
});
