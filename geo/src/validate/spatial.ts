import type { Area } from '../types.js';
import type { HierarchyArea, Report } from './issues.js';
import { intersectionArea, ringArea } from './overlap.js';
import { distanceToSegment, locate, projector, type Pt } from './planar.js';

interface Shape {
  area: HierarchyArea;
  /** Ring in metres on the family's local projection. */
  ring: Pt[];
  box: [number, number, number, number];
  perimeter: number;
  /** Vertices plus points every ≤5 m along the edges, so an edge crossing a concave notch is seen. */
  samples: Pt[];
}

function shape(area: HierarchyArea, toM: (p: Pt) => Pt): Shape {
  const ring = area.ring!.map(toM);
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const samples: Pt[] = [];
  let perimeter = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [a, b] = [ring[i]!, ring[i + 1]!];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    perimeter += len;
    const n = Math.min(200, Math.max(1, Math.ceil(len / 5)));
    for (let k = 0; k < n; k++) samples.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return { area, ring, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], perimeter, samples };
}

const near = (a: Shape['box'], b: Shape['box'], d: number) =>
  a[0] - d <= b[2] && b[0] - d <= a[2] && a[1] - d <= b[3] && b[1] - d <= a[3];

function distanceToRing(p: Pt, ring: readonly Pt[]): number {
  let d = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) d = Math.min(d, distanceToSegment(p, ring[i]!, ring[i + 1]!));
  return d;
}

/** How far a's boundary reaches to the `side` of b's boundary (0 when it stays on the other side). */
function depth(a: Shape, b: Shape, side: 'in' | 'out'): number {
  let worst = 0;
  for (const p of a.samples) if (locate(p, b.ring) === side) worst = Math.max(worst, distanceToRing(p, b.ring));
  return worst;
}

/** Where the horizontal line at y crosses the ring's edges (half-open rule), sorted. */
function crossings(ring: readonly Pt[], y: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    let [a, b] = [ring[i]!, ring[i + 1]!];
    if (a[1] > y === b[1] > y) continue;
    if (a[1] > b[1]) [a, b] = [b, a]; // the same x for an edge two neighbours share
    xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
  }
  return xs.sort((u, v) => u - v);
}

function insideRow(xs: readonly number[], x: number): boolean {
  let n = 0;
  while (n < xs.length && xs[n]! < x) n++;
  return n % 2 === 1;
}

/**
 * Lattice points of the parent that no child covers and that lie more than tol/2 from every
 * child: the middle of a gap wider than the tolerance. Scanlines make each point's in/out test
 * cheap whatever the ring sizes; at most ~200,000 points, spacing ≥ tol.
 */
function gapCore(P: Shape, kids: readonly Shape[], tol: number): { area: number; first: Pt | null } {
  const [x0, y0, x1, y1] = P.box;
  const step = Math.max(tol, Math.sqrt(((x1 - x0) * (y1 - y0)) / 200_000));
  let count = 0;
  let first: Pt | null = null;
  for (let y = y0 + step / 2; y < y1; y += step) {
    const inParent = crossings(P.ring, y);
    const row = kids.filter((k) => k.box[1] - tol / 2 <= y && y <= k.box[3] + tol / 2);
    const inKid = row.map((k) => crossings(k.ring, y));
    for (let x = x0 + step / 2; x < x1; x += step) {
      if (!insideRow(inParent, x) || inKid.some((xs) => insideRow(xs, x))) continue;
      const p: Pt = [x, y];
      if (row.some((k) => near(k.box, [x, y, x, y], tol / 2) && distanceToRing(p, k.ring) <= tol / 2)) continue;
      count++;
      first ??= p;
    }
  }
  return { area: count * step * step, first };
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
 * Gaps also use a lattice over the parent to find uncovered points more than tol/2 from every child.
 */
export function checkFamily(parent: HierarchyArea, children: readonly HierarchyArea[], tol: number, issue: Report) {
  const { toM, toDeg } = projector(parent.ring![0]![1]);
  const P = shape(parent, toM);
  const kids = children.map((c) => shape(c, toM));
  for (const k of kids) {
    const out = depth(k, P, 'out');
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
  const covered = kids.reduce((s, k) => s + (near(k.box, P.box, 0) ? intersectionArea(k.ring, P.ring) : 0), 0);
  const uncovered = ringArea(P.ring) - covered;
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
 * boundary, so communities of different streets are compared too). A sweep over bounding
 * boxes finds the candidate pairs; each pair is measured on a projection centred on it.
 */
export function checkOverlaps(areas: readonly HierarchyArea[], tol: number, issue: Report): void {
  const boxes = areas.map((a) => ({ a, box: shape(a, (p) => p).box })).sort((x, y) => x.box[0] - y.box[0]);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j]!.box[0] <= boxes[i]!.box[2]; j++) {
      if (!near(boxes[i]!.box, boxes[j]!.box, 0)) continue;
      const { toM } = projector(boxes[i]!.box[1]);
      const [a, b] = [shape(boxes[i]!.a, toM), shape(boxes[j]!.a, toM)];
      const deepest = Math.max(depth(a, b, 'in'), depth(b, a, 'in'));
      const overlap = intersectionArea(a.ring, b.ring);
      if (deepest > tol || overlap > tol * Math.min(a.perimeter, b.perimeter))
        issue(
          a.area,
          'overlap',
          `与同级 ${zhName(b.area)} 重叠约 ${m2(overlap)}，最深 ${m(deepest)}（容差 ${m(tol)}）`,
          `overlaps ${enName(b.area)}, of the same level, by about ${m2(overlap)}, up to ${m(deepest)} deep (tolerance ${m(tol)})`,
          { other: b.area.code },
        );
    }
}
