import { describe, expect, it } from 'vitest';
import { type Box, LABEL_MARGIN_PX, type LabelWish, overlaps, placeLabels } from './label-placement.js';

/** Deterministic numbers in [0, 1) (mulberry32). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const viewport = { width: 1920, height: 1080 };
// A plain projection: a wish's position is its screen point.
const project = (p: [number, number]) => ({ x: p[0], y: p[1] });
const measure = (text: string, size: number) => text.length * size;

/** `n` labels anchored over the viewport and `beyond` px past each of its sides. */
function wishes(n: number, seed: number, beyond = 90): LabelWish[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    layer: i % 7 === 0 ? 'population-counts' : 'area-names',
    position: [r() * (1920 + 2 * beyond) - beyond, r() * (1080 + 2 * beyond) - beyond] as [number, number],
    text: '社区'.repeat(1 + Math.floor(r() * 3)),
    size: 14 + Math.floor(r() * 8),
    priority: Math.floor(r() * 4) * 10,
  }));
}

describe('placeLabels', () => {
  it('never overlaps two labels, nor a label and an obstacle, and places only labels anchored inside the viewport', () => {
    const obstacles: Box[] = [{ x0: 900, y0: 500, x1: 1000, y1: 600 }];
    const placed = placeLabels(wishes(1500, 1), project, measure, obstacles, viewport);
    expect(placed.length).toBeGreaterThan(100);
    for (let i = 0; i < placed.length; i++) {
      const at = project(placed[i]!.position);
      expect(at.x >= 0 && at.y >= 0 && at.x <= viewport.width && at.y <= viewport.height).toBe(true);
      expect(overlaps(placed[i]!.box, obstacles[0]!)).toBe(false);
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!.box, placed[j]!.box)).toBe(false);
    }
  });

  it('drops a label in view only when each of its three spots collides with a kept label of at least its priority', () => {
    const all = wishes(1500, 2);
    const placed = placeLabels(all, project, measure, [], viewport);
    const kept = new Set(placed.map((p) => p.text + p.position.join()));
    const order = [...all].sort((a, b) => b.priority - a.priority);
    for (const w of order) {
      const p = project(w.position);
      const inView = p.x >= 0 && p.y >= 0 && p.x <= viewport.width && p.y <= viewport.height;
      if (kept.has(w.text + w.position.join()) || !inView) continue;
      // Where it would have gone: each spot is blocked by a label of at least its priority.
      const half = measure(w.text, w.size) / 2 + 4;
      const h = (w.size * 1.25) / 2 + 4;
      for (const dy of [0, w.size * 1.4, -w.size * 1.4]) {
        const box = { x0: p.x - half, y0: p.y + dy - h, x1: p.x + half, y1: p.y + dy + h };
        expect(placed.some((q) => q.priority >= w.priority && overlaps(q.box, box))).toBe(true);
      }
    }
  });

  it('with a margin, places labels anchored up to the margin beyond the view (clear of each other), and none further', () => {
    const m = LABEL_MARGIN_PX;
    const placed = placeLabels(wishes(3000, 3, 2 * m), project, measure, [], { ...viewport, margin: m });
    const at = placed.map((l) => project(l.position));
    expect(at.every((p) => p.x >= -m && p.y >= -m && p.x <= viewport.width + m && p.y <= viewport.height + m)).toBe(
      true,
    );
    const outside = at.filter((p) => p.x < 0 || p.y < 0 || p.x > viewport.width || p.y > viewport.height);
    expect(outside.length).toBeGreaterThan(50);
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!.box, placed[j]!.box)).toBe(false);
  });
});
