import { describe, expect, it } from 'vitest';
import { type Fix, metres, TrackSampler } from '../../../web/src/field/track-sampler.js';

/** A walk east along a parallel at `speed` m/s, one fix a second. */
function walk(seconds: number, speed: number, start = 0): Fix[] {
  const lat = 33.64;
  const mPerDegLng = 111_320 * Math.cos((lat * Math.PI) / 180);
  return Array.from({ length: seconds }, (_, s) => ({
    at: start + s * 1000,
    lng: 116.98 + (s * speed) / mPerDegLng,
    lat,
  }));
}

describe('track sampler', () => {
  it('keeps a point every ≥ 25 m while walking', () => {
    const s = new TrackSampler();
    const kept = walk(600, 1.2).filter((f) => s.offer(f));
    for (let i = 1; i < kept.length; i++) expect(metres(kept[i - 1]!, kept[i]!)).toBeGreaterThanOrEqual(25);
    // 720 m walked: about one point per 25 m (the 5 s floor is never the limit at walking speed).
    expect(kept.length).toBeGreaterThanOrEqual(25);
    expect(kept.length).toBeLessThanOrEqual(30);
  });

  it('keeps one point a minute when standing still', () => {
    const s = new TrackSampler();
    const still = walk(600, 0);
    const kept = still.filter((f) => s.offer(f));
    expect(kept.map((f) => f.at)).toEqual([
      0, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000,
    ]);
  });

  it('keeps far fewer points while the page is hidden', () => {
    const shown = new TrackSampler();
    const hidden = new TrackSampler();
    const fixes = walk(1200, 1.2);
    const a = fixes.filter((f) => shown.offer(f, false)).length;
    const b = fixes.filter((f) => hidden.offer(f, true)).length;
    expect(b).toBeLessThanOrEqual(Math.ceil(a / 3));
    expect(b).toBeGreaterThan(0);
  });

  it('drops inaccurate fixes, jitter within seconds, and fixes older than the last kept', () => {
    const s = new TrackSampler();
    expect(s.offer({ at: 0, lng: 116.98, lat: 33.64, accuracy: 500 })).toBe(false);
    expect(s.offer({ at: 0, lng: 116.98, lat: 33.64, accuracy: 10 })).toBe(true);
    expect(s.offer({ at: 2000, lng: 116.981, lat: 33.64 })).toBe(false);
    expect(s.offer({ at: -5000, lng: 116.99, lat: 33.64 })).toBe(false);
    expect(s.offer({ at: 6000, lng: 116.981, lat: 33.64 })).toBe(true);
  });
});
