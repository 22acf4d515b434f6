import Flatbush from 'flatbush';

/** Planar helpers on [x, y] pairs. Degrees are fine for sign tests; areas in metres come from `project`. */
export type Pt = readonly [number, number];

export function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** p lies on the closed segment ab (exactly collinear, within its box). */
export function onSegment(p: Pt, a: Pt, b: Pt): boolean {
  return (
    orient(a, b, p) === 0 &&
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Closed segments ab and cd share at least one point (crossing, touching or overlapping). */
export function segmentsTouch(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = Math.sign(orient(a, b, c));
  const o2 = Math.sign(orient(a, b, d));
  const o3 = Math.sign(orient(c, d, a));
  const o4 = Math.sign(orient(c, d, b));
  if (o1 !== o2 && o3 !== o4) return true;
  return onSegment(c, a, b) || onSegment(d, a, b) || onSegment(a, c, d) || onSegment(b, c, d);
}

/** Where the lines through ab and cd meet, as the parameter t along ab (null when parallel). */
export function crossingParam(a: Pt, b: Pt, c: Pt, d: Pt): number | null {
  const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
  if (den === 0) return null;
  return ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den;
}

/** Shoelace area of a closed ring; positive when counter-clockwise. */
export function signedArea(ring: readonly Pt[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

export function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Inside, outside or within `eps` of the boundary of a closed ring (even-odd rule). */
export function locate(p: Pt, ring: readonly Pt[], eps = 0): 'in' | 'out' | 'on' {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (eps > 0 ? distanceToSegment(p, a, b) <= eps : onSegment(p, a, b)) return 'on';
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside ? 'in' : 'out';
}

/** Drops consecutive repeated positions (allowed by OGC, but they make zero-length edges). */
export function dedupe(ring: readonly Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out;
}

/**
 * Equirectangular projection to metres around a reference latitude, and back: within a
 * few kilometres (a community) its error is well below a metre, which is all the
 * tolerances here need.
 */
export function projector(lat0: number): { toM: (p: Pt) => Pt; toDeg: (p: Pt) => Pt } {
  const k = (Math.PI / 180) * 6371008.8;
  const c = Math.cos((lat0 * Math.PI) / 180);
  return { toM: (p) => [p[0] * k * c, p[1] * k], toDeg: (p) => [p[0] / (k * c), p[1] / k] };
}

/** Where two touching edges meet, for the message. */
function meetPoint(a: Pt, b: Pt, c: Pt, d: Pt): [number, number] {
  const t = crossingParam(a, b, c, d);
  if (t === null) return [c[0], c[1]];
  const s = Math.max(0, Math.min(1, t));
  return [a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])];
}

/**
 * Pairs of edges of a closed ring that share a point they should not (crossing, touching, or an
 * edge doubling back on the next): the first pair found (smallest i, then j) and how many.
 * Each edge is tested only against the edges whose boxes touch its own (a packed R-tree
 * over rings of 64 edges or more), so a 20,000-vertex boundary costs O(n log n), not O(n²).
 * Edges are numbered after dropping repeated positions.
 */
export function selfCrossings(
  ring: readonly Pt[],
): { i: number; j: number; at: [number, number]; count: number } | null {
  const v = dedupe(ring);
  const f = v[0];
  const l = v[v.length - 1];
  if (v.length > 1 && f && l && f[0] === l[0] && f[1] === l[1]) v.pop();
  const m = v.length;
  let first: { i: number; j: number; at: [number, number] } | null = null;
  let count = 0;
  const box = (k: number): [number, number, number, number] => {
    const [a, b] = [v[k]!, v[(k + 1) % m]!];
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
  };
  let tree: Flatbush | null = null;
  if (m >= 64) {
    tree = new Flatbush(m);
    for (let k = 0; k < m; k++) tree.add(...box(k));
    tree.finish();
  }
  const all = (i: number) => Array.from({ length: Math.max(0, m - i - 2) }, (_, k) => i + 2 + k);
  for (let i = 0; i < m; i++) {
    const a = v[i]!;
    const b = v[(i + 1) % m]!;
    // An adjacent edge that doubles back along this one (a spike).
    const c = v[(i + 2) % m]!;
    if (m > 2 && orient(a, b, c) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0) {
      count++;
      first ??= { i, j: (i + 1) % m, at: [b[0], b[1]] };
    }
    const candidates = tree ? tree.search(...box(i), (j) => j >= i + 2).sort((x, y) => x - y) : all(i);
    for (const j of candidates) {
      if (i === 0 && j === m - 1) continue;
      const d0 = v[j]!;
      const d1 = v[(j + 1) % m]!;
      if (!segmentsTouch(a, b, d0, d1)) continue;
      count++;
      first ??= { i, j, at: meetPoint(a, b, d0, d1) };
    }
  }
  return first && { ...first, count };
}

/** ab and cd cross at a point inside both; touching does not count. */
export function properCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  return orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0;
}
