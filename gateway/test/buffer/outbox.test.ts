import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft } from '@linli/contract';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/buffer/outbox.js';

const loc = { lng: 117.01, lat: 33.66, gridId: '341302001001001' };
const reading = (i: number): EventDraft => ({
  kind: 'meter.reading',
  deviceId: 'meter-01',
  deviceTime: 1_790_000_000_000 + i,
  payload: { medium: 'electricity', values: { energyTotal: i }, units: { energyTotal: 'kWh' } },
});
const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'linli-outbox-')), 'buffer.sqlite');

describe('outbox', () => {
  it('assigns gap-free increasing sequences, commits before resolving, and keeps counting across restarts', async () => {
    const file = tmpFile();
    let box = new Outbox({ file, gatewayId: 'gw-1', synchronous: 'full' });
    const first = await Promise.all(Array.from({ length: 250 }, (_, i) => box.enqueue(reading(i), loc)));
    expect(first.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Committed: a second connection sees all of them before the outbox is closed.
    const peek = new Database(file, { readonly: true });
    expect((peek.prepare('SELECT count(*) AS n FROM telemetry').get() as { n: number }).n).toBe(250);
    peek.close();
    box.close();

    box = new Outbox({ file, gatewayId: 'gw-1', synchronous: 'normal' });
    expect(box.stats()).toMatchObject({ depth: 250, lastSeq: 250 });
    const next = await box.enqueue(reading(999), loc);
    expect(next.seq).toBe(251);
    box.close();
  });

  it('fills the envelope: version, gateway, receipt time, default severity, location', async () => {
    const box = new Outbox({ file: tmpFile(), gatewayId: 'gw-1', synchronous: 'full' });
    const e = await box.enqueue(
      { kind: 'smoke.alarm', deviceId: 'safety-01', deviceTime: 5, payload: { active: true } },
      loc,
    );
    expect(e).toMatchObject({
      v: 1,
      gatewayId: 'gw-1',
      seq: 1,
      severity: 'critical',
      location: loc,
      deviceTime: 5,
    });
    expect(e.receivedAt).toBeGreaterThan(1_700_000_000_000);
    box.close();
  });

  it('reads in order after a sequence and drops only what the hub acknowledged', async () => {
    const box = new Outbox({ file: tmpFile(), gatewayId: 'gw-1', synchronous: 'full' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => box.enqueue(reading(i), loc)));
    expect(box.readAfter(3, 4).map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(box.ackThrough(6)).toBe(6);
    expect(box.readAfter(0, 100).map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(box.stats().depth).toBe(4);
    box.close();
  });

  it('rejects an invalid draft without taking its neighbours or a sequence number with it', async () => {
    const box = new Outbox({ file: tmpFile(), gatewayId: 'gw-1', synchronous: 'full' });
    const bad = {
      kind: 'elevator.status',
      deviceId: 'lift-01',
      deviceTime: 1,
      payload: { floor: 'x' },
    } as unknown as EventDraft;
    const results = await Promise.allSettled([
      box.enqueue(reading(1), loc),
      box.enqueue(bad, loc),
      box.enqueue(reading(2), loc),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(
      /invalid elevator.status event: .*payload.floor must be integer/,
    );
    expect(box.readAfter(0, 10).map((e) => e.seq)).toEqual([1, 2]);
    box.close();
  });
});
