import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, eventAt, startTestHub } from '../../helpers/hub-fixture.js';

/**
 * A gateway flooding the hub (a firmware bug resending in a tight loop, or a
 * stolen token) is answered RATE_LIMITED beyond its buckets, while a well-behaved
 * gateway on the same hub keeps getting every batch stored.
 */
const LIMITS = { eventsPerSecond: 2000, messagesPerSecond: 20, burstSeconds: 1 };
let h: Awaited<ReturnType<typeof startTestHub>>;

beforeAll(async () => {
  h = await startTestHub({ gatewayRate: LIMITS });
});
afterAll(async () => {
  await h?.stop();
});

describe('hub: a flooding gateway', () => {
  it('is rate-limited without hurting the others, and nothing it was refused is stored', async () => {
    const flooder = await h.gatewaySocket('gw-flood', await h.gateway('gw-flood', AREAS.communityA));
    const calm = await h.gatewaySocket('gw-calm', await h.gateway('gw-calm', AREAS.communityB));
    const started = Date.now();
    // 300 batches of 400 events, fired without waiting: 120,000 events in a few seconds.
    const floodReplies = Promise.all(
      Array.from({ length: 300 }, () => {
        const events = Array.from({ length: 400 }, () => eventAt('gw-flood', AREAS.gridA1));
        return flooder.timeout(60_000).emitWithAck('events', { events }) as Promise<{
          ok: boolean;
          error?: { code: string; message: string; retryAfterMs?: number };
        }>;
      }),
    );
    // Meanwhile the calm gateway delivers 20 small batches, one after another.
    const calmReplies: { ok: boolean; ackSeq?: number }[] = [];
    for (let i = 0; i < 20; i++) {
      const events = Array.from({ length: 5 }, () => eventAt('gw-calm', AREAS.gridB1));
      calmReplies.push(await calm.timeout(30_000).emitWithAck('events', { events }));
    }
    const flood = await floodReplies;
    const elapsedS = (Date.now() - started) / 1000;

    expect(calmReplies.every((r) => r.ok)).toBe(true);
    expect(calmReplies.at(-1)?.ackSeq).toBe(100);
    expect(await h.store.lastSeq('gw-calm')).toBe(100);

    const refused = flood.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThan(200);
    expect(refused.every((r) => r.error?.code === 'RATE_LIMITED')).toBe(true);
    expect(refused[0]!.error!.message).toMatch(/retry in \d+ ms/);
    // The wait is a field the gateway reads (uplink.ts), not words in the message.
    expect(refused.every((r) => Number.isInteger(r.error?.retryAfterMs) && r.error!.retryAfterMs! > 0)).toBe(true);
    // What was stored fits the bucket: burst plus the sustained rate over the time it took.
    const stored = await h.store.lastSeq('gw-flood');
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(LIMITS.eventsPerSecond * (LIMITS.burstSeconds + elapsedS));
    // The log says so, once per hundred refusals rather than once per message.
    const warnings = h.logLines.filter((l) => l.includes('gateway rate-limited'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(Math.ceil(refused.length / 100) + 1);
  });
});
