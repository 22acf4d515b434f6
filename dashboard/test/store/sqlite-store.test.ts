import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdFactory, type LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { SqliteHubStore } from '../../src/store/sqlite-store.js';

const nextId = createIdFactory();
const ev = (seq: number, gatewayId = 'gw-a'): LinliEvent => ({
  v: 1,
  id: nextId(),
  gatewayId,
  seq,
  deviceTime: 1,
  receivedAt: 2,
  deviceId: 'meter-01',
  kind: 'meter.reading',
  severity: 'info',
  location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
  payload: { medium: 'water', values: { flow: seq }, units: { flow: 'm3' } },
});
const seqs = (from: number, to: number, gw?: string) =>
  Array.from({ length: to - from + 1 }, (_, i) => ev(from + i, gw));

function store() {
  const s = new SqliteHubStore(join(mkdtempSync(join(tmpdir(), 'linli-hub-')), 'hub.sqlite'));
  s.upsertGateway('gw-a', 'a'.repeat(64));
  s.upsertGateway('gw-b', 'b'.repeat(64));
  return s;
}

describe('SQLite hub store', () => {
  it('stores a batch and acknowledges its last sequence', () => {
    const s = store();
    const r = s.ingest('gw-a', seqs(1, 5));
    expect(r).toMatchObject({ ackSeq: 5, duplicates: 0, gap: false });
    expect(r.inserted.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(s.lastSeq('gw-a')).toBe(5);
    s.close();
  });

  it('stores a replayed batch once (deduplication by gateway and sequence)', () => {
    const s = store();
    s.ingest('gw-a', seqs(1, 5));
    const replay = s.ingest('gw-a', seqs(3, 8));
    expect(replay).toMatchObject({ ackSeq: 8, duplicates: 3 });
    expect(replay.inserted.map((e) => e.seq)).toEqual([6, 7, 8]);
    expect(s.recentEvents(100).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    s.close();
  });

  it('stops at a gap and acknowledges only the contiguous prefix, so order is never broken', () => {
    const s = store();
    const r = s.ingest('gw-a', [...seqs(1, 3), ...seqs(5, 6)]);
    expect(r).toMatchObject({ ackSeq: 3, gap: true });
    expect(s.lastSeq('gw-a')).toBe(3);
    expect(s.ingest('gw-a', seqs(4, 6)).ackSeq).toBe(6);
    s.close();
  });

  it('keeps gateways apart', () => {
    const s = store();
    s.ingest('gw-a', seqs(1, 3));
    expect(s.ingest('gw-b', seqs(1, 2, 'gw-b')).ackSeq).toBe(2);
    expect(s.lastSeq('gw-a')).toBe(3);
    s.close();
  });

  it('refuses batches of unknown gateways without storing anything', () => {
    const s = store();
    expect(() => s.ingest('gw-x', seqs(1, 2, 'gw-x'))).toThrow(/unknown gateway/);
    expect(s.recentEvents(10)).toEqual([]);
    s.close();
  });

  it('moves the watermark across evicted ranges and counts what was lost', () => {
    const s = store();
    const r = s.ingest('gw-a', [ev(1), ev(2), ev(6)], [{ fromSeq: 3, toSeq: 5 }]);
    expect(r).toMatchObject({ ackSeq: 6, lost: 3, gap: false });
    expect(s.gatewayStates().find((g) => g.id === 'gw-a')?.lostTelemetry).toBe(3);
    // A range that reaches past a hole is still a gap.
    expect(s.ingest('gw-a', [ev(9)], [{ fromSeq: 8, toSeq: 8 }])).toMatchObject({ ackSeq: 6, gap: true });
    s.close();
  });

  it('does not count as lost an evicted sequence the hub already has', () => {
    const s = store();
    s.ingest('gw-a', seqs(1, 2));
    s.ingestLive('gw-a', [ev(4)]);
    expect(s.ingest('gw-a', [], [{ fromSeq: 3, toSeq: 5 }])).toMatchObject({ ackSeq: 5, lost: 2 });
    s.close();
  });

  it('stores live-lane alarms ahead of the watermark once, and the backlog later dedupes them', () => {
    const s = store();
    s.ingest('gw-a', seqs(1, 2));
    expect(s.ingestLive('gw-a', [ev(50)]).map((e) => e.seq)).toEqual([50]);
    expect(s.ingestLive('gw-a', [ev(50)])).toEqual([]);
    expect(s.lastSeq('gw-a')).toBe(2);
    const backlog = s.ingest('gw-a', seqs(3, 60));
    expect(backlog.ackSeq).toBe(60);
    expect(backlog.inserted.map((e) => e.seq)).not.toContain(50);
    expect(backlog.duplicates).toBe(1);
    expect(s.recentEvents(1000).map((e) => e.seq)).toHaveLength(60);
    s.close();
  });

  it('records gateway status and the clock skew', () => {
    const s = store();
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
    s.recordStatus('gw-b', status, 1_000_000);
    expect(s.gatewayStates().find((g) => g.id === 'gw-b')).toMatchObject({ clockSkewMs: 45_000, status });
    s.close();
  });

  it('deletes events past retention oldest first, a chunk at a time, and still refuses their late resend', () => {
    const s = store();
    s.ingest('gw-a', seqs(1, 10));
    // Events 1–6 were stored 200 days ago.
    s.db.prepare('UPDATE events SET stored_at = ? WHERE seq <= 6').run(Date.now() - 200 * 86_400_000);
    const cutoff = Date.now() - 180 * 86_400_000;
    expect(s.pruneEvents(cutoff, 4)).toBe(4);
    expect(s.pruneEvents(cutoff, 4)).toBe(2);
    expect(s.pruneEvents(cutoff, 4)).toBe(0);
    expect(s.recentEvents(100).map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    // The watermark is untouched: a resend of a pruned event is a duplicate, not a new event.
    const again = s.ingest('gw-a', seqs(1, 3));
    expect(again).toMatchObject({ ackSeq: 10, inserted: [], duplicates: 3 });
    s.close();
  });

  it('gives a database from before the position columns its positions on open, and indexes them for the heatmap', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'linli-hub-')), 'hub.sqlite');
    let s = new SqliteHubStore(file);
    s.upsertGateway('gw-a', 'a'.repeat(64));
    s.ingest('gw-a', seqs(1, 3));
    // Make it look like the old layout: no lng/lat, the old index.
    s.db
      .exec(`DROP INDEX events_by_grid_time_pos; ALTER TABLE events DROP COLUMN lng; ALTER TABLE events DROP COLUMN lat;
      CREATE INDEX events_by_grid_time ON events (grid_id, received_at);`);
    s.close();
    s = new SqliteHubStore(file);
    expect(s.db.prepare('SELECT lng, lat FROM events').all()).toEqual(Array(3).fill({ lng: 117, lat: 33.6 }));
    const plan = s.db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT round(lng, 3), count(*) FROM events WHERE grid_id >= '3413' AND grid_id < '3414' AND received_at >= 0 GROUP BY 1",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX events_by_grid_time_pos');
    s.close();
  });
});
