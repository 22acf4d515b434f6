import type { Area, AreaTree } from '@linli/geo';

export type BBox = [number, number, number, number];

export interface AreaExtent {
  /** Its own ring's bounds, or null when it has none. */
  own: BBox | null;
  /** Bounds of every grid ring below it (itself when a grid), or null when none has a ring. */
  grids: BBox | null;
  /** Label anchor of a community: the mean of its outer ring's vertices (the closing one once). */
  anchor?: [number, number];
}

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
    if (a.level === 'community' && a.ring?.length) {
      const pts = a.ring.slice(0, -1);
      e.anchor = [
        round(pts.reduce((s, p) => s + p[0], 0) / pts.length),
        round(pts.reduce((s, p) => s + p[1], 0) / pts.length),
      ];
    }
    out.set(a.code, e);
  }
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
