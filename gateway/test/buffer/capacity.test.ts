import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft, LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { BufferFullError } from '../../src/buffer/draft.js';
import { Outbox, type OutboxOptions } from '../../src/buffer/outbox.js';

const loc = { lng: 117.01, lat: 33.66, gridId: '341302001001001' };
const telemetry = (i: number): EventDraft => ({
  kind: 'meter.reading',
  deviceId: 'meter-01',
  deviceTime: i,
  payload: { medium: 'water', values: { total: i }, units: { total: 'm3' } },
});
const alarm = (i: number): EventDraft => ({ kind: 'sos.call', deviceId: 'sos-01', deviceTime: i, payload: {} });

function outbox(over: Partial<OutboxOptions> = {}) {
  const problems: string[] = [];
  const box = new Outbox({
    file: join(mkdtempSync(join(tmpdir(), 'linli-cap-')), 'buffer.sqlite'),
    gatewayId: 'gw-1',
    synchronous: 'normal',
    ballastBytes: 0,
    location: loc,
    onProblem: (m) => problems.push(m),
    ...over,
  });
  return { box, problems };
}

/** Waits for a condition (a report is committed on a later turn of the event loop). */
async function until<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (let v = fn(); ; v = fn()) {
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const reports = (box: Outbox) =>
  box
    .readAfter(0, 100_000)
    .filter((e) => e.kind === 'gateway.buffer_full')
    .map(
      (e) => e.payload as { refusedAlarms: number; evictedTelemetry: number; refusedByKind?: Record<string, number> },
    );

/** Enqueues in order, one commit each, so sequences follow the order given. */
async function fill(box: Outbox, drafts: EventDraft[]): Promise<PromiseSettledResult<LinliEvent>[]> {
  const out: PromiseSettledResult<LinliEvent>[] = [];
  for (const d of drafts) out.push(...(await Promise.allSettled([box.enqueue(d, loc)])));
  return out;
}

describe('outbox capacity', () => {
  it('evicts the oldest telemetry first, counts it, records the ranges, and keeps every alarm', async () => {
    const { box } = outbox({ maxBytes: 20_000 });
    const drafts = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? alarm(i) : telemetry(i)));
    const results = await fill(box, drafts);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const s = box.stats();
    expect(s.bytes).toBeLessThanOrEqual(20_000);
    expect(s.evictedTelemetry).toBeGreaterThan(100);
    expect(s.refusedAlarms).toBe(0);
    const kept = box.readAfter(0, 1000);
    // Every alarm is still there; the telemetry kept is the newest.
    expect(kept.filter((e) => e.kind === 'sos.call')).toHaveLength(30);
    const keptTelemetry = kept.filter((e) => e.kind === 'meter.reading').map((e) => e.seq);
    const evicted = box.evictedBetween(0, s.lastSeq);
    const evictedSeqs = evicted.flatMap((r) =>
      Array.from({ length: r.toSeq - r.fromSeq + 1 }, (_, k) => r.fromSeq + k),
    );
    expect(evictedSeqs).toHaveLength(s.evictedTelemetry);
    expect(Math.max(...evictedSeqs)).toBeLessThan(Math.min(...keptTelemetry));
    // Kept + evicted = everything produced, nothing twice.
    expect(new Set([...kept.map((e) => e.seq), ...evictedSeqs]).size).toBe(300);
    box.close();
  });

  it('refuses alarms loudly when only alarms are left, and reports the overflow once there is room', async () => {
    const { box, problems } = outbox({ maxBytes: 8_000 });
    const results = await fill(
      box,
      Array.from({ length: 80 }, (_, i) => alarm(i)),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    const err = (refused[0] as PromiseRejectedResult).reason;
    expect(err).toBeInstanceOf(BufferFullError);
    expect(err.reason).toBe('capacity');
    expect(box.stats().refusedAlarms).toBe(refused.length);
    expect(problems).toContain('BUFFER FULL: alarms refused');
    // The hub acknowledges the first half: room again, so the gateway raises gateway.buffer_full.
    const seen: LinliEvent[] = [];
    box.onAppend((evs) => seen.push(...evs));
    box.ackThrough(Math.floor(box.stats().lastSeq / 2));
    const report = await until(() => seen.find((e) => e.kind === 'gateway.buffer_full'));
    expect(report?.payload).toMatchObject({ reason: 'capacity', refusedAlarms: refused.length });
    expect(report?.severity).toBe('critical');
    box.close();
  });

  it('keeps refused counts exact when the report itself is refused, and across a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'linli-cap-')), 'buffer.sqlite');
    const first = outbox({ maxBytes: 8_000, file }).box;
    const a = (
      await fill(
        first,
        Array.from({ length: 60 }, (_, i) => alarm(i)),
      )
    ).filter((r) => r.status === 'rejected');
    expect(a.length).toBeGreaterThan(0);
    // Upkeep tries to report while the buffer is still full: the report is refused, and must not reset the count.
    first.maintain();
    const b = (
      await fill(
        first,
        Array.from({ length: 7 }, (_, i) => alarm(100 + i)),
      )
    ).filter((r) => r.status === 'rejected');
    expect(b).toHaveLength(7);
    expect(reports(first)).toEqual([]);
    expect(first.stats().refusedAlarms).toBe(a.length + 7);
    first.close();
    // After a restart the counts are still there (they are stored with the events).
    const { box } = outbox({ maxBytes: 8_000, file });
    expect(box.stats().refusedAlarms).toBe(a.length + 7);
    box.ackThrough(box.stats().lastSeq);
    const [report] = await until(() => (reports(box).length ? reports(box) : undefined));
    expect(report).toMatchObject({ refusedAlarms: a.length + 7, refusedByKind: { 'sos.call': a.length + 7 } });
    // Reported once: nothing left to report, and a second chance adds no second report.
    box.maintain();
    await new Promise<void>((r) => setImmediate(r));
    expect(reports(box)).toHaveLength(1);
    box.close();
  });

  it('refuses new telemetry rather than alarms when the buffer is all alarms', async () => {
    const { box } = outbox({ maxBytes: 8_000 });
    await fill(
      box,
      Array.from({ length: 40 }, (_, i) => alarm(i)),
    );
    expect(box.stats().refusedAlarms).toBeGreaterThan(0); // full of alarms
    const r = await fill(box, [telemetry(1)]);
    const after = box.stats();
    expect(r[0]!.status).toBe('rejected');
    expect(after.refusedTelemetry).toBe(1);
    expect(box.readAfter(0, 100).every((e) => e.kind === 'sos.call')).toBe(true);
    box.close();
  });

  it('expires telemetry older than the age limit, never alarms', async () => {
    let now = 1_790_000_000_000;
    const { box } = outbox({ maxAgeMs: 3600_000, now: () => now });
    await fill(box, [telemetry(1), alarm(2), telemetry(3)]);
    now += 2 * 3600_000;
    await fill(box, [telemetry(4)]);
    box.maintain();
    expect(box.readAfter(0, 10).map((e) => e.seq)).toEqual([2, 4]);
    expect(box.evictedBetween(0, 4)).toEqual([
      { fromSeq: 1, toSeq: 1 },
      { fromSeq: 3, toSeq: 3 },
    ]);
    box.close();
  });

  it('forgets evicted ranges the hub has acknowledged, trimming a range it is inside', async () => {
    const { box } = outbox({ maxBytes: 3_000 });
    await fill(
      box,
      Array.from({ length: 40 }, (_, i) => telemetry(i)),
    );
    const ranges = box.evictedBetween(0, 40);
    expect(ranges.length).toBeGreaterThan(0);
    const first = ranges[0]!;
    const mid = first.fromSeq + Math.floor((first.toSeq - first.fromSeq) / 2);
    box.ackThrough(mid);
    expect(box.evictedBetween(0, 40)[0]).toEqual({ fromSeq: mid + 1, toSeq: first.toSeq });
    box.close();
  });
});
