import { describe, expect, it } from 'vitest';
import { flatten, grantOf } from '../../src/camera/onvif-events.js';
import { floorWaitMs, pullWaitMs, renewAt } from '../../src/camera/pull-schedule.js';

describe('PullPoint schedule', () => {
  it('renews before the granted span runs out, by a fifth of it (1 s to 10 s)', () => {
    expect(renewAt({ grantedMs: 5000, sentAt: 1000 })).toBe(1000 + 4000);
    expect(renewAt({ grantedMs: 60_000, sentAt: 0 })).toBe(50_000);
    expect(renewAt({ grantedMs: 600_000, sentAt: 0 })).toBe(590_000);
    // A camera granting nothing (or the past) is not renewed in a tight loop.
    expect(renewAt({ grantedMs: 0, sentAt: 0 })).toBe(1000);
    expect(renewAt({ grantedMs: -3_600_000, sentAt: 0 })).toBe(1000);
    // No TerminationTime at all: assume what was asked.
    expect(renewAt({ grantedMs: null, sentAt: 0 }, 60_000)).toBe(50_000);
  });

  it('reads the grant on the camera clock, so skew cancels out', () => {
    const r = flatten({
      renewResponse: [
        { terminationTime: ['2020-01-01T00:00:05Z'], currentTime: [{ _: '2020-01-01T00:00:00Z', $: {} }] },
      ],
    });
    expect(grantOf((r as { renewResponse: unknown }).renewResponse, 42)).toEqual({ grantedMs: 5000, sentAt: 42 });
    // Offsets other than Z are times too.
    const o = { TerminationTime: '2020-01-01T08:01:00+08:00', CurrentTime: '2020-01-01T00:00:00Z' };
    expect(grantOf(o, 0).grantedMs).toBe(60_000);
    expect(grantOf({ CurrentTime: 'garbage' }, 0).grantedMs).toBeNull();
  });

  it('cuts the long-poll so the answer is due before the renewal, in whole seconds', () => {
    expect(pullWaitMs(0, 60_000, 10_000)).toBe(10_000);
    expect(pullWaitMs(0, 4_500, 10_000)).toBe(4000);
    expect(pullWaitMs(0, 999, 10_000)).toBe(0);
  });

  it('holds pulls to one per floor', () => {
    expect(floorWaitMs(1000, 900)).toBe(900);
    expect(floorWaitMs(5000, 900)).toBe(0);
    expect(floorWaitMs(0, -Infinity)).toBe(0);
  });
});
