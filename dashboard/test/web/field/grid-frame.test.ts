import { describe, expect, it } from 'vitest';
import { frameFor, insideRing, VIEW } from '../../../web/src/field/grid-frame.js';

/** A grid about 300 m × 200 m near 宿州 (33.6° N), closed like the area data. */
const RING: [number, number][] = [
  [116.97, 33.63],
  [116.97325, 33.63],
  [116.97325, 33.6318],
  [116.97, 33.6318],
  [116.97, 33.63],
];

describe('the phone’s grid map', () => {
  it('fits the grid inside the view box with its padding, and centres the tight side', () => {
    const f = frameFor(RING);
    const xy = RING.map(([lng, lat]) => f.toXY({ lng, lat }));
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(VIEW.pad - 1e-6);
    expect(Math.max(...xs)).toBeLessThanOrEqual(VIEW.width - VIEW.pad + 1e-6);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(VIEW.pad - 1e-6);
    expect(Math.max(...ys)).toBeLessThanOrEqual(VIEW.height - VIEW.pad + 1e-6);
    // North is up: the northern edge has the smaller y.
    expect(f.toXY({ lng: 116.97, lat: 33.6318 })[1]).toBeLessThan(f.toXY({ lng: 116.97, lat: 33.63 })[1]);
    // Metres keep their proportion: 300 m east and 200 m north on screen are 3 : 2 (±2 %).
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    const metresEW = (116.97325 - 116.97) * 111_320 * Math.cos((33.6309 * Math.PI) / 180);
    const metresNS = (33.6318 - 33.63) * 110_574;
    expect(w / h / (metresEW / metresNS)).toBeCloseTo(1, 1);
  });

  it('turns a tap back into the position under it', () => {
    const f = frameFor(RING);
    const p = { lng: 116.9712, lat: 33.6311 };
    const [x, y] = f.toXY(p);
    const back = f.toLngLat(x, y);
    expect(back.lng).toBeCloseTo(p.lng, 9);
    expect(back.lat).toBeCloseTo(p.lat, 9);
  });

  it('tells a point inside the grid from one outside, also for a concave outline', () => {
    expect(insideRing({ lng: 116.971, lat: 33.631 }, RING)).toBe(true);
    expect(insideRing({ lng: 116.969, lat: 33.631 }, RING)).toBe(false);
    expect(insideRing({ lng: 116.971, lat: 33.633 }, RING)).toBe(false);
    // An L: the notch is outside.
    const L: [number, number][] = [
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
    ];
    expect(insideRing({ lng: 0.5, lat: 1.5 }, L)).toBe(true);
    expect(insideRing({ lng: 1.5, lat: 1.5 }, L)).toBe(false);
  });
});
