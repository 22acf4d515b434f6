import type { Ring } from '../types.js';

export type Pt = [number, number];
export interface Box {
  w: number;
  s: number;
  e: number;
  n: number;
}

/** Six decimals: about 0.1 m, so committed data diffs stay small and shared vertices stay equal. */
export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
export const pt = (x: number, y: number): Pt => [round6(x), round6(y)];

/** Bilinear point inside a quad ring (sw, se, ne, nw, sw) at (u, v) in [0,1]²; inside for a convex quad. */
export function inQuad(ring: Ring, u: number, v: number): Pt {
  const [sw, se, ne, nw] = ring as [Pt, Pt, Pt, Pt];
  const x = (1 - u) * (1 - v) * sw[0] + u * (1 - v) * se[0] + u * v * ne[0] + (1 - u) * v * nw[0];
  const y = (1 - u) * (1 - v) * sw[1] + u * (1 - v) * se[1] + u * v * ne[1] + (1 - u) * v * nw[1];
  return pt(x, y);
}

export function boxOf(ring: readonly Pt[]): Box {
  const b = { w: Infinity, s: Infinity, e: -Infinity, n: -Infinity };
  for (const [x, y] of ring) {
    b.w = Math.min(b.w, x);
    b.s = Math.min(b.s, y);
    b.e = Math.max(b.e, x);
    b.n = Math.max(b.n, y);
  }
  return b;
}

export const grow = (b: Box, d: number): Box => ({ w: b.w - d, s: b.s - d, e: b.e + d, n: b.n + d });
export const overlaps = (a: Box, b: Box): boolean => a.w < b.e && b.w < a.e && a.s < b.n && b.s < a.n;

/** A closed ring from open positions. */
export const close = (points: Pt[]): Ring => [...points, points[0]!];
