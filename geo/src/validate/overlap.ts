import { RingEdges } from './edge-index.js';
import { crossingParam, distanceToSegment, type Pt, segmentsTouch, signedArea } from './planar.js';

const EPS = 1e-6;

function ccw(ring: readonly Pt[]): Pt[] {
  return signedArea(ring) < 0 ? [...ring].reverse() : [...ring];
}

/** Parameters along p→q where it meets the edges of `other`, including 0 and 1, sorted. */
function cuts(p: Pt, q: Pt, other: RingEdges): number[] {
  const ts = [0, 1];
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const len2 = dx * dx + dy * dy;
  const o = other.ring;
  const near = other.edgesNear(Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1]));
  for (const j of near) {
    const r = o[j]!;
    const s = o[j + 1]!;
    if (!segmentsTouch(p, q, r, s)) continue;
    const t = crossingParam(p, q, r, s);
    // Parallel and touching means collinear: the other edge's ends split this one.
    const candidates = t === null ? [r, s].map((v) => ((v[0] - p[0]) * dx + (v[1] - p[1]) * dy) / len2) : [t];
    for (const c of candidates) if (c > 0 && c < 1) ts.push(c);
  }
  return ts.sort((a, b) => a - b);
}

/** Whether the edge of `ring` under m runs the same way as p→q (interiors on the same side). */
function sameDirectionOnBoundary(m: Pt, p: Pt, q: Pt, ring: RingEdges): boolean {
  const o = ring.ring;
  for (const j of ring.edgesNear(m[0] - EPS, m[1] - EPS, m[0] + EPS, m[1] + EPS)) {
    const r = o[j]!;
    const s = o[j + 1]!;
    if (distanceToSegment(m, r, s) <= EPS) return (q[0] - p[0]) * (s[0] - r[0]) + (q[1] - p[1]) * (s[1] - r[1]) > 0;
  }
  return false;
}

/** Shoelace contributions of the parts of `a`'s boundary that bound a ∩ b. */
function boundaryInside(a: readonly Pt[], b: RingEdges, sharedCounts: boolean): number {
  let s = 0;
  for (let i = 0; i + 1 < a.length; i++) {
    const p = a[i]!;
    const q = a[i + 1]!;
    const ts = cuts(p, q, b);
    for (let k = 0; k + 1 < ts.length; k++) {
      const t0 = ts[k]!;
      const t1 = ts[k + 1]!;
      if (t1 - t0 <= 1e-12) continue;
      const at = (t: number): Pt => [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
      const u = at(t0);
      const v = at(t1);
      const where = b.locate(at((t0 + t1) / 2), EPS);
      const counts =
        where === 'in' || (where === 'on' && sharedCounts && sameDirectionOnBoundary(at((t0 + t1) / 2), p, q, b));
      if (counts) s += (u[0] * v[1] - v[0] * u[1]) / 2;
    }
  }
  return s;
}

/** `intersectionArea` for rings already counter-clockwise with their edge indexes built (reused across pairs). */
export function ccwIntersectionArea(A: RingEdges, B: RingEdges): number {
  return Math.max(0, boundaryInside(A.ring, B, true) + boundaryInside(B.ring, A, false));
}

/**
 * Exact area of the intersection of two simple polygons, by Green's theorem rather than
 * clipping: the boundary of A ∩ B is the part of A's boundary inside B, the part of B's
 * inside A, and shared edges where both run the same way (shared edges running opposite
 * ways, as between neighbouring grids, bound nothing). Summing the shoelace terms of
 * those pieces gives the area. Works for concave rings; rings in metres. Each edge meets
 * only the other ring's edges near it (an R-tree over large rings, see RingEdges), so two
 * district boundaries of thousands of vertices cost O((n + m) log) rather than O(n·m).
 */
export function intersectionArea(a: readonly Pt[], b: readonly Pt[]): number {
  return ccwIntersectionArea(new RingEdges(ccw(a)), new RingEdges(ccw(b)));
}

export function ringArea(ring: readonly Pt[]): number {
  return Math.abs(signedArea(ring));
}

export { ccw };
