import { describe, expect, it } from 'vitest';
import { backoffDelay, ReconnectBackoff } from '../../src/uplink/backoff.js';

const OPTS = { baseMs: 500, capMs: 10_000, healthyAfterMs: 10_000 };
/** The largest value Math.random can return, to see each window's ceiling. */
const TOP = () => 0.999_999;

describe('backoffDelay (capped exponential, full jitter)', () => {
  it('doubles the window per failure and never exceeds the cap', () => {
    const ceilings = Array.from({ length: 12 }, (_, n) => backoffDelay(n, OPTS, TOP));
    expect(ceilings.slice(0, 6)).toEqual([499, 999, 1999, 3999, 7999, 9999]);
    expect(ceilings.slice(6).every((d) => d === 9999)).toBe(true);
    // Absurd failure counts stay finite and capped.
    expect(backoffDelay(10_000, OPTS, TOP)).toBe(9999);
    expect(backoffDelay(-3, OPTS, TOP)).toBe(499);
  });

  it('draws uniformly from the whole window, down to zero', () => {
    expect(backoffDelay(4, OPTS, () => 0)).toBe(0);
    expect(backoffDelay(4, OPTS, () => 0.5)).toBe(4000);
    const seen = Array.from({ length: 2000 }, () => backoffDelay(3, OPTS));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThan(4000);
    // Spread over the window, not bunched at the top like "equal jitter" would be.
    expect(seen.filter((d) => d < 1000).length).toBeGreaterThan(200);
    expect(seen.filter((d) => d >= 3000).length).toBeGreaterThan(200);
  });
});

describe('ReconnectBackoff', () => {
  it('grows while attempts fail or connections end quickly, and resets after a healthy connection', () => {
    let now = 0;
    const b = new ReconnectBackoff(OPTS, () => now, TOP);
    expect([b.next(), b.next(), b.next()]).toEqual([499, 999, 1999]);
    // Online, but kicked after 2 s (a duplicate identity, a hello the hub cannot answer): keeps growing.
    b.online();
    now += 2000;
    expect(b.next()).toBe(3999);
    for (let i = 0; i < 10; i++) b.next();
    expect(b.next()).toBe(9999);
    expect(b.failureCount()).toBeGreaterThan(10);
    // Online long enough to count as healthy: the next drop is retried from the base window again.
    b.online();
    now += 10_000;
    expect(b.next()).toBe(499);
    expect(b.next()).toBe(999);
  });

  it('does not reset on an attempt that never came online', () => {
    let now = 0;
    const b = new ReconnectBackoff(OPTS, () => now, TOP);
    b.next();
    now += 60_000;
    expect(b.next()).toBe(999);
  });
});
