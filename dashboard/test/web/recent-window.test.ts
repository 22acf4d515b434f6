import { describe, expect, it } from 'vitest';
import { EVERY_BUCKET_SEALED, planWindow } from '../../src/store/rollups/spans.js';
import { recentWindow } from '../../web/src/recent-window.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('recentWindow', () => {
  const now = Date.parse('2026-12-02T09:41:17.123Z');

  it('takes a day or longer as the whole hours holding it, so the hub reads no partial hour of events', () => {
    for (const length of [DAY, 7 * DAY, 30 * DAY]) {
      const [from, to] = recentWindow(length, now);
      expect(from).toBeLessThanOrEqual(now - length);
      expect(to).toBeGreaterThan(now);
      expect(to - from).toBeLessThanOrEqual(length + HOUR);
      expect(planWindow(from, to, EVERY_BUCKET_SEALED).edges).toEqual([]);
    }
  });

  it('keeps the last hour exact', () => {
    expect(recentWindow(HOUR, now)).toEqual([now - HOUR, now]);
  });
});
