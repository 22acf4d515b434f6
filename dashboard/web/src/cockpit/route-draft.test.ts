import { describe, expect, it } from 'vitest';
import { MAX_ROUTE_POINTS, RouteDraft } from './route-draft.js';

// A 0.01° square grid (about 1 km a side at Suzhou's latitude), closed ring.
const RING: [number, number][] = [
  [116.98, 33.64],
  [116.99, 33.64],
  [116.99, 33.65],
  [116.98, 33.65],
  [116.98, 33.64],
];
const draft = () => new RouteDraft('341302001001001', RING, (n) => `签到点${n}`);

describe('a patrol route being drawn', () => {
  it('numbers points in click order, refuses one outside the grid, undoes the last', () => {
    const d = draft();
    expect(d.add(116.981, 33.641)).toBe('added');
    expect(d.add(116.995, 33.641)).toBe('outside');
    expect(d.add(116.985, 33.645)).toBe('added');
    expect(d.add(116.989, 33.649)).toBe('added');
    expect(d.points.map((p) => p.name)).toEqual(['签到点1', '签到点2', '签到点3']);
    d.undo();
    expect(d.points.map((p) => [p.lng, p.lat])).toEqual([
      [116.981, 33.641],
      [116.985, 33.645],
    ]);
  });

  it('says what is missing before it makes the body the hub takes', () => {
    const d = draft();
    expect(d.toInput()).toEqual({ ok: false, missing: 'name' });
    d.name = '  早班  ';
    expect(d.toInput()).toEqual({ ok: false, missing: 'points' });
    d.add(116.981, 33.641);
    d.rename(0, '   ');
    expect(d.toInput()).toEqual({ ok: false, missing: 'point-name' });
    d.rename(0, '东门'.padEnd(80, '口'));
    const r = d.toInput();
    expect(r.ok && r.input).toEqual({
      gridId: '341302001001001',
      name: '早班',
      points: [{ name: '东门'.padEnd(64, '口'), lng: 116.981, lat: 33.641 }],
    });
  });

  it('takes no more points than the hub allows', () => {
    const d = draft();
    for (let i = 0; i < MAX_ROUTE_POINTS; i++) expect(d.add(116.981 + i * 1e-4, 33.641)).toBe('added');
    expect(d.add(116.985, 33.645)).toBe('full');
    expect(d.points).toHaveLength(MAX_ROUTE_POINTS);
  });
});
