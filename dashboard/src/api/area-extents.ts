import { type Area, type AreaTree, pointInRing } from '@linli/geo';

export type BBox = [number, number, number, number];

export interface AreaExtent {
  /** Its own ring's bounds, or null when it has none. */
  own: BBox | null;
  /** Bounds of every grid ring below it (itself when a grid), or null when none has a ring. */
  grids: BBox | null;
  /**
   * Where a district's, street's or community's name goes: the mean of its
   * outer ring's vertices (the closing one once) when that lies inside the
   * ring, else the middle of its most central grid. Always inside the area.
   */
  anchor?: [number, number];
}

/** The levels whose names the map may draw (dashboard/web/src/layers/area-names.ts). */
const NAMED = new Set(['district', 'street', 'community']);

/** ~0.1 m: the tree reply carries a bbox for each of 15,000 grids, so no 17-digit floats. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

function ringBox(ring: readonly (readonly [number, number])[]): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) grow(b, [x, y, x, y]);
  return b;
}

function grow(b: BBox, o: BBox): void {
  b[0] = Math.min(b[0], o[0]);
  b[1] = Math.min(b[1], o[1]);
  b[2] = Math.max(b[2], o[2]);
  b[3] = Math.max(b[3], o[3]);
}

const cache = new WeakMap<AreaTree, Map<string, AreaExtent>>();

/**
 * Bounds and label anchors of every area, computed once per city version
 * (the tree object is immutable per snapshot) so `/api/area-tree` can send
 * them instead of polygons: the cockpit fits, centres and labels from these,
 * and draws the polygons from vector tiles.
 */
export function areaExtents(tree: AreaTree): Map<string, AreaExtent> {
  const hit = cache.get(tree);
  if (hit) return hit;
  const byCode = new Map<string, Area>(tree.areas.map((a) => [a.code, a]));
  const out = new Map<string, AreaExtent>();
  for (const a of tree.areas) {
    const own = a.ring?.length ? ringBox(a.ring) : null;
    const e: AreaExtent = { own, grids: null };
    if (NAMED.has(a.level) && a.ring?.length) {
      const mean = vertexMean(a.ring);
      if (pointInRing(mean[0], mean[1], a.ring)) e.anchor = [round(mean[0]), round(mean[1])];
    }
    out.set(a.code, e);
  }
  anchorsFromGrids(tree, byCode, out);
  for (const a of tree.areas) {
    const box = a.level === 'grid' ? out.get(a.code)!.own : null;
    if (!box) continue;
    // The grid and every area above it (guarded against a cycle in a malformed tree).
    let steps = 0;
    for (let c: Area | undefined = a; c && steps < 16; c = c.parent ? byCode.get(c.parent) : undefined, steps++) {
      const e = out.get(c.code)!;
      if (e.grids) grow(e.grids, box);
      else e.grids = [...box];
    }
  }
  for (const e of out.values()) {
    if (e.own) e.own = e.own.map(round) as BBox;
    if (e.grids) e.grids = e.grids.map(round) as BBox;
  }
  cache.set(tree, out);
  return out;
}

/**
 * What a viewer receives as an area's bbox: its own ring's, else its grids'.
 * Above the viewer's area (the breadcrumb's chain) only its own ring, which
 * /api/areas hands them anyway: a union of grids there would outline areas
 * beside theirs.
 */
export function visibleBox(e: AreaExtent | undefined, inScope: boolean): BBox | null {
  if (!e) return null;
  return e.own ?? (inScope ? e.grids : null);
}

function vertexMean(ring: readonly (readonly [number, number])[]): [number, number] {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/**
 * An anchor for each named area that has none yet (no ring, or a ring whose
 * vertex mean falls outside it: an L-shaped or crescent street): the middle
 * of its grid nearest the mean of its grids' middles. A box's centre could lie
 * in the neighbour's area and put a name on the wrong street; a grid of its
 * own cannot.
 */
function anchorsFromGrids(tree: AreaTree, byCode: Map<string, Area>, out: Map<string, AreaExtent>): void {
  const middles: { at: [number, number]; chain: Area[] }[] = [];
  const sums = new Map<string, { x: number; y: number; n: number }>();
  const wanting = (a: Area) => NAMED.has(a.level) && !out.get(a.code)!.anchor;
  for (const g of tree.areas) {
    if (g.level !== 'grid' || !g.ring?.length) continue;
    // The named areas above the grid still wanting an anchor (guarded against a cycle in a malformed tree).
    const chain: Area[] = [];
    let c = g.parent ? byCode.get(g.parent) : undefined;
    for (let steps = 0; c && steps < 16; c = c.parent ? byCode.get(c.parent) : undefined, steps++)
      if (wanting(c)) chain.push(c);
    if (!chain.length) continue;
    const at = vertexMean(g.ring);
    middles.push({ at, chain });
    for (const a of chain) {
      const s = sums.get(a.code) ?? { x: 0, y: 0, n: 0 };
      sums.set(a.code, { x: s.x + at[0], y: s.y + at[1], n: s.n + 1 });
    }
  }
  const best = new Map<string, { d: number; at: [number, number] }>();
  for (const { at, chain } of middles) {
    for (const a of chain) {
      const s = sums.get(a.code)!;
      const d = (at[0] - s.x / s.n) ** 2 + (at[1] - s.y / s.n) ** 2;
      if (d < (best.get(a.code)?.d ?? Infinity)) best.set(a.code, { d, at });
    }
  }
  for (const [code, b] of best) out.get(code)!.anchor = [round(b.at[0]), round(b.at[1])];
}
