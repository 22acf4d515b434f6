import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { BufferFullError } from '@linli/gateway';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hubRecord } from '../helpers/hub-db.js';
import { LOCATION, makeOutbox, makeUplink, meter, sos, startHub } from '../helpers/in-process.js';
import { until } from '../helpers/processes.js';

const GW = 'gw-341302001001';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('store-and-forward capacity', () => {
  it('a small buffer through a long outage: telemetry evicted oldest-first and counted, every alarm delivered', async () => {
    const box = makeOutbox({ maxBytes: 150_000 });
    cleanup.push(() => box.close());
    for (let i = 1; i <= 3000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) => box.enqueue((i + k) % 20 === 0 ? sos(i + k) : meter(i + k), LOCATION)),
      );
    }
    const stats = box.stats();
    expect(stats.evictedTelemetry).toBeGreaterThan(1000);
    expect(stats.refusedAlarms).toBe(0);

    const { hub, token, url, dir } = await startHub(GW);
    cleanup.push(() => hub.stop());
    const { uplink } = makeUplink(box, { hubUrl: url, gatewayId: GW, token });
    uplink.start();
    cleanup.push(() => uplink.stop());
    await until(() => box.stats().depth === 0 || null, 'the backlog to drain');
    const rec = hubRecord(dir, GW);
    expect(rec.watermark).toBe(stats.lastSeq);
    expect(rec.rows.filter((r) => r.kind === 'sos.call')).toHaveLength(150);
    expect(rec.lost).toBe(stats.evictedTelemetry);
    expect(rec.rows.length + rec.lost).toBe(stats.lastSeq);
    // Oldest first: every telemetry sequence that arrived is newer than every one that was evicted.
    const have = new Set(rec.rows.map((r) => r.seq));
    const missing = Array.from({ length: stats.lastSeq }, (_, i) => i + 1).filter((s) => !have.has(s));
    const telemetryAtHub = rec.rows.filter((r) => r.kind === 'meter.reading').map((r) => r.seq);
    expect(Math.max(...missing)).toBeLessThan(Math.min(...telemetryAtHub));
  });

  it('a genuinely full filesystem: telemetry evicted, alarms kept, a clear error when nothing is left, an intact database', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test mounts a small tmpfs and must run as root (CI does)');
    const mnt = mkdtempSync(join(tmpdir(), 'linli-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]);
    cleanup.push(() => {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    });
    mkdirSync(join(mnt, 'gw'));
    const file = join(mnt, 'gw', 'buffer.sqlite');
    const problems: string[] = [];
    const box = makeOutbox({
      file,
      maxBytes: 1 << 30,
      ballastBytes: 2 * 1024 * 1024,
      onProblem: (m) => problems.push(m),
    });
    let closed = false;
    cleanup.push(() => {
      if (!closed) box.close();
    });
    const otherErrors: unknown[] = [];
    let alarmsOk = 0;
    let alarmsRefused = 0;
    const produce = async (from: number, n: number, isAlarm: (i: number) => boolean) => {
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, k) => box.enqueue(isAlarm(from + k) ? sos(from + k) : meter(from + k), LOCATION)),
      );
      results.forEach((r, k) => {
        const alarm = isAlarm(from + k);
        if (r.status === 'fulfilled') alarmsOk += alarm ? 1 : 0;
        else if (r.reason instanceof BufferFullError && r.reason.reason === 'disk_full') alarmsRefused += alarm ? 1 : 0;
        else otherErrors.push(r.reason);
      });
    };
    // Phase 1: a mix, far more than the 6 MiB filesystem holds.
    for (let i = 1; i <= 60_000; i += 200) await produce(i, 200, (n) => n % 50 === 0);
    const s = box.stats();
    expect(otherErrors.map(String)).toEqual([]);
    expect(problems.some((p) => p.startsWith('disk full'))).toBe(true);
    expect(s.diskFull).toBe(true);
    expect(s.evictedTelemetry).toBeGreaterThan(10_000);
    // With telemetry left to evict, nothing was refused: not an alarm, not even new telemetry.
    expect(alarmsRefused).toBe(0);
    expect(s.refusedTelemetry).toBe(0);
    expect(alarmsOk).toBe(1200);
    expect(box.readAfter(0, 100_000).filter((e: LinliEvent) => e.kind === 'sos.call')).toHaveLength(1200);
    // Phase 2: only alarms. Once no telemetry is left, alarms are refused with a clear, typed error.
    for (let i = 60_001; i <= 90_000 && alarmsRefused === 0; i += 200) await produce(i, 200, () => true);
    expect(otherErrors.map(String)).toEqual([]);
    expect(alarmsRefused).toBeGreaterThan(0);
    expect(box.stats().refusedAlarms).toBe(alarmsRefused);
    expect(problems).toContain('BUFFER FULL: alarms refused');
    // Phase 3: the hub takes everything. The buffer's own free pages count as room: the full state clears
    // without anyone deleting a file, and both transitions and the exact counts are events for the hub.
    const reportsOf = (evs: LinliEvent[]) =>
      evs.filter((e) => e.kind === 'gateway.buffer_full').map((e) => e.payload as { refusedAlarms: number });
    // Reports committed while the disk was full (whenever a commit got through) are part of the sum.
    const before = reportsOf(box.readAfter(0, 1_000_000));
    const acked = box.stats().lastSeq;
    box.ackThrough(acked);
    await until(() => {
      box.maintain();
      return !box.stats().diskFull || null;
    }, 'the disk-full state to clear');
    expect(problems).toContain('disk space is back; buffer working normally');
    const after = await until(() => {
      const evs = box.readAfter(acked, 1000);
      return evs.some((e) => e.kind === 'gateway.disk_ok') ? evs : null;
    }, 'the disk_ok event');
    const all = [...before, ...reportsOf(after)];
    expect(all.reduce((n, p) => n + p.refusedAlarms, 0)).toBe(alarmsRefused);
    box.close();
    closed = true;
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
