import Flatbush from 'flatbush';
import type { Area } from '../types.js';
import { RingEdges } from './edge-index.js';
import type { HierarchyArea, Report } from './issues.js';
import { ccw, ccwIntersectionArea, ringArea } from './overlap.js';
import { projector, type Pt, segmentsTouch } from './planar.js';

export interface Shape {
  area: HierarchyArea;
  /** The ring in metres, counter-clockwise, with its edge index. */
  edges: RingEdges;
  box: [number, number, number, number];
  perimeter: number;
  /** Edge i as "x0,y0,x1,y1" in ring order, and the other way round: to tell an edge two areas share. */
  keys: string[];
  backKeys: string[];
  /** The set of `keys`. */
  edgeKeys: Set<string>;
}

const edgeKey = (a: Pt, b: Pt) => `${a[0]},${a[1]},${b[0]},${b[1]}`;

export function shape(area: HierarchyArea, toM: (p: Pt) => Pt): Shape {
  const ring = ccw(area.ring!.map(toM));
  let box: Shape['box'] = [Infinity, Infinity, -Infinity, -Infinity];
  const keys: string[] = [];
  const backKeys: string[] = [];
  let perimeter = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [a, b] = [ring[i]!, ring[i + 1]!];
    box = [Math.min(box[0], a[0]), Math.min(box[1], a[1]), Math.max(box[2], a[0]), Math.max(box[3], a[1])];
    perimeter += Math.hypot(b[0] - a[0], b[1] - a[1]);
    keys.push(edgeKey(a, b));
    backKeys.push(edgeKey(b, a));
  }
  return { area, edges: new RingEdges(ring), box, perimeter, keys, backKeys, edgeKeys: new Set(keys) };
}

const near = (a: Shape['box'], b: Shape['box'], d: number) =>
  a[0] - d <= b[2] && b[0] - d <= a[2] && a[1] - d <= b[3] && b[1] - d <= a[3];

const inBox = (p: Pt, b: Shape['box']) => b[0] <= p[0] && p[0] <= b[2] && b[1] <= p[1] && p[1] <= b[3];

/** Points every ≤5 m along p→q (p included, q not), so an edge crossing a concave notch is seen. */
function* along(p: Pt, q: Pt): Generator<Pt> {
  const n = Math.min(200, Math.max(1, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]) / 5)));
  for (let k = 0; k < n; k++) yield [p[0] + ((q[0] - p[0]) * k) / n, p[1] + ((q[1] - p[1]) * k) / n];
}

/**
 * Whether the inside of segment p→q (its ends left out, so a shared corner does not count)
 * shares any point with an edge of the ring.
 */
function interiorTouchesRing(p: Pt, q: Pt, ring: RingEdges): boolean {
  const e = 1e-9;
  const p1: Pt = [p[0] + e * (q[0] - p[0]), p[1] + e * (q[1] - p[1])];
  const q1: Pt = [q[0] - e * (q[0] - p[0]), q[1] - e * (q[1] - p[1])];
  const r = ring.ring;
  for (const j of ring.edgesNear(
    Math.min(p[0], q[0]),
    Math.min(p[1], q[1]),
    Math.max(p[0], q[0]),
    Math.max(p[1], q[1]),
  ))
    if (segmentsTouch(p1, q1, r[j]!, r[j + 1]!)) return true;
  return false;
}

/**
 * How far a's boundary reaches to the `side` of b's boundary (0 when it stays on the other
 * side), from points sampled every ≤5 m along a's edges, and whether a runs one of b's edges
 * the same way (both counter-clockwise: their interiors lie on the same side of it). Most
 * edges need no samples: an edge outside b's box is outside b; an edge both rings share lies
 * on b's boundary; an edge whose inside meets none of b's edges lies wholly on one side,
 * which its middle tells; only edges that cross or run along b's boundary are sampled.
 */
function depth(a: Shape, b: Shape, side: 'in' | 'out'): { worst: number; sameWay: boolean } {
  let worst = 0;
  let sameWay = false;
  const measure = (p: Pt) => (worst = Math.max(worst, b.edges.distance(p, Math.max(worst, 1))));
  const ring = a.edges.ring;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [p, q] = [ring[i]!, ring[i + 1]!];
    const edgeBox: Shape['box'] = [
      Math.min(p[0], q[0]),
      Math.min(p[1], q[1]),
      Math.max(p[0], q[0]),
      Math.max(p[1], q[1]),
    ];
    if (!near(edgeBox, b.box, 0)) {
      if (side === 'out') for (const s of along(p, q)) measure(s);
      continue;
    }
    if (b.edgeKeys.has(a.keys[i]!)) {
      sameWay = true;
      continue;
    }
    if (b.edgeKeys.has(a.backKeys[i]!)) continue;
    if (!interiorTouchesRing(p, q, b.edges)) {
      if (b.edges.locate([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]) === side) for (const s of along(p, q)) measure(s);
      continue;
    }
    for (const s of along(p, q)) if ((inBox(s, b.box) ? b.edges.locate(s) : 'out') === side) measure(s);
  }
  return { worst, sameWay };
}

/** Where the horizontal line at y runs inside the ring, as [from, to] pairs of x. */
function insideSpans(s: Shape, y: number): number[] {
  const xs = s.edges.crossings(y);
  return xs.length % 2 === 0 ? xs : xs.slice(0, -1);
}

/**
 * Heights at which to cut the family with scanlines. Between two consecutive vertex heights
 * of the parent and children every span end runs along one straight edge, so a gap's width
 * changes linearly there: rows at 1/6, 1/2 and 5/6 of each such slab see at least 5/6 of
 * its widest point. Slabs taller than 50·tol get more rows; slabs of 3·tol or less (dense
 * boundaries) one row at the middle, since a gap's core is over tol tall and spans several.
 * Each row carries its share of the slab's height, for the area estimate.
 */
function scanRows(P: Shape, kids: readonly Shape[], tol: number): { y: number; h: number }[] {
  const ys = new Set<number>();
  for (const s of [P, ...kids]) for (const p of s.edges.ring) if (p[1] >= P.box[1] && p[1] <= P.box[3]) ys.add(p[1]);
  const sorted = [...ys].sort((a, b) => a - b);
  const rows: { y: number; h: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i]!, sorted[i + 1]!];
    const n = b - a <= 3 * tol ? 1 : 3 * Math.max(1, Math.ceil((b - a) / (50 * tol)));
    for (let k = 0; k < n; k++) rows.push({ y: a + ((b - a) * (2 * k + 1)) / (2 * n), h: (b - a) / n });
  }
  return rows;
}

/**
 * The middle of gaps wider than the tolerance, by scanlines (see `scanRows`): each row is cut
 * exactly into the spans inside the parent and inside each child (R-tree crossings), so the
 * cost grows with the vertices, not with the parent's area. A span inside the parent but
 * outside every child counts when it stays wider than `tol` after trimming tol/2 at both
 * ends and its middle lies more than tol/2 from every child. Area ≈ Σ core length × row height.
 */
function gapCore(P: Shape, kids: readonly Shape[], tol: number): { area: number; first: Pt | null } {
  const byRow = new Flatbush(Math.max(1, kids.length));
  for (const k of kids) byRow.add(...k.box);
  if (kids.length === 0) byRow.add(0, 0, 0, 0);
  byRow.finish();
  let area = 0;
  let first: Pt | null = null;
  for (const { y, h } of scanRows(P, kids, tol)) {
    const row = kids.length ? byRow.search(-Infinity, y - tol / 2, Infinity, y + tol / 2).map((i) => kids[i]!) : [];
    const covered: [number, number][] = [];
    for (const k of row) {
      const xs = insideSpans(k, y);
      for (let i = 0; i + 1 < xs.length; i += 2) covered.push([xs[i]!, xs[i + 1]!]);
    }
    covered.sort((a, b) => a[0] - b[0]);
    const parent = insideSpans(P, y);
    for (let i = 0; i + 1 < parent.length; i += 2) {
      // Walk the children's spans over this parent span; what they leave open is a candidate gap.
      let from = parent[i]!;
      const to = parent[i + 1]!;
      const open: [number, number][] = [];
      for (const [a, b] of covered) {
        if (b <= from || a >= to) continue;
        if (a > from) open.push([from, a]);
        from = Math.max(from, b);
      }
      if (from < to) open.push([from, to]);
      for (const [a, b] of open) {
        const core = b - a - tol;
        if (core <= 0) continue;
        const mid: Pt = [(a + b) / 2, y];
        if (row.some((k) => k.edges.distance(mid, tol) <= tol / 2)) continue;
        area += core * h;
        first ??= mid;
      }
    }
  }
  return { area, first };
}

const m2 = (v: number) => `${Math.round(v)} m²`;
const m = (v: number) => `${+v.toFixed(2)} m`;
const zhName = (a: Area) => `${a.name}（${a.code}）`;
const enName = (a: Area) => `${a.name} (${a.code})`;

/**
 * Spatial checks, in metres on a local projection. `tol` is how far boundaries that should
 * agree may disagree, so each check has two sound triggers that noise within `tol` cannot fire:
 * - depth: how far one boundary reaches past the other, from points sampled along it;
 * - area: the exact overlap or uncovered area (Green's theorem, see `intersectionArea`)
 *   compared with `tol` × the boundary length a sliver that thin could run along.
 * Gaps also use scanlines over the family to find uncovered spans more than tol/2 from every child.
 */
export function checkFamily(parent: HierarchyArea, children: readonly HierarchyArea[], tol: number, issue: Report) {
  const { toM, toDeg } = projector(parent.ring![0]![1]);
  const P = shape(parent, toM);
  const kids = children.map((c) => shape(c, toM));
  // A child none of whose boundary is outside lies inside: its part inside the parent is all of it.
  const inside = new Set<Shape>();
  for (const k of kids) {
    const out = depth(k, P, 'out').worst;
    if (out === 0) inside.add(k);
    if (out > tol)
      issue(
        k.area,
        'outside-parent',
        `超出上级 ${zhName(parent)}：边界最远超出 ${m(out)}（容差 ${m(tol)}）`,
        `extends outside its parent ${enName(parent)}: boundary up to ${m(out)} out (tolerance ${m(tol)})`,
        { other: parent.code },
      );
  }
  if (!parent.fullCover) return;
  // Summing the children's parts inside the parent counts any overlap twice, so this
  // understates the gap by at most the overlaps, and those are reported separately.
  const covered = kids.reduce((s, k) => {
    if (inside.has(k)) return s + ringArea(k.edges.ring);
    return s + (near(k.box, P.box, 0) ? ccwIntersectionArea(k.edges, P.edges) : 0);
  }, 0);
  const uncovered = ringArea(P.edges.ring) - covered;
  const slivers = (tol * (P.perimeter + kids.reduce((s, k) => s + k.perimeter, 0))) / 2;
  const core = gapCore(P, kids, tol);
  if (uncovered <= slivers && !core.first) return;
  const at = core.first ? toDeg(core.first) : null;
  const where = at ? `${+at[0].toFixed(6)}, ${+at[1].toFixed(6)}` : '';
  const size = m2(Math.max(uncovered, core.area));
  issue(
    parent,
    'gap',
    `标记为全覆盖，但下级未覆盖约 ${size}${at ? `，例如 (${where}) 附近` : ''}（容差 ${m(tol)}）`,
    `is marked full cover but its children leave about ${size} uncovered${at ? `, e.g. near (${where})` : ''} (tolerance ${m(tol)})`,
  );
}

/**
 * Areas of one level must not overlap, whichever parent they have (streets often have no
 * boundary, so communities of different streets are compared too). A packed R-tree over
 * the boxes finds the candidate pairs in O(n log n); each area's shape is built once, on
 * one projection per level centred on the level's middle latitude (across a city of
 * ±0.5° the scale differs by under 0.6 %, on both rings of a pair alike).
 */
export function checkOverlaps(areas: readonly HierarchyArea[], tol: number, issue: Report): void {
  if (areas.length < 2) return;
  let [lo, hi] = [Infinity, -Infinity];
  for (const a of areas) for (const p of a.ring!) [lo, hi] = [Math.min(lo, p[1]), Math.max(hi, p[1])];
  const { toM } = projector((lo + hi) / 2);
  const shapes = areas.map((a) => shape(a, toM));
  const tree = new Flatbush(shapes.length);
  for (const s of shapes) tree.add(...s.box);
  tree.finish();
  shapes.forEach((a, i) => {
    for (const j of tree.search(...a.box).sort((x, y) => x - y)) {
      if (j <= i) continue;
      const b = shapes[j]!;
      const [ab, ba] = [depth(a, b, 'in'), depth(b, a, 'in')];
      const deepest = Math.max(ab.worst, ba.worst);
      // No boundary point of either inside the other and no edge bounding both on the same side:
      // the interiors are apart (to the 5 m sampling), so the exact area need not be measured.
      const touching = deepest > 0 || ab.sameWay;
      const overlap = touching ? ccwIntersectionArea(a.edges, b.edges) : 0;
      if (deepest > tol || overlap > tol * Math.min(a.perimeter, b.perimeter))
        issue(
          a.area,
          'overlap',
          `与同级 ${zhName(b.area)} 重叠约 ${m2(overlap)}，最深 ${m(deepest)}（容差 ${m(tol)}）`,
          `overlaps ${enName(b.area)}, of the same level, by about ${m2(overlap)}, up to ${m(deepest)} deep (tolerance ${m(tol)})`,
          { other: b.area.code },
        );
    }
  });
}
