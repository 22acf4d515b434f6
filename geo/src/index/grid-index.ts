import Flatbush from 'flatbush';
import { pointInRing, ringBounds } from '../polygon.js';
import type { Area, AreaTree, Ring } from '../types.js';

/** The grids of a tree that have a shape, in tree order: the list order every index answer refers to. */
export function gridsOf(tree: AreaTree): Area[] {
  return tree.areas.filter((a) => a.level === 'grid' && a.ring !== null);
}

/** How near (in degrees, about 0.1 mm) a point must be to a grid's edge to count as on it. */
export const EDGE_EPSILON = 1e-9;

/** Whether the point lies within `eps` degrees (planar) of an edge of the ring. */
export function nearRingEdge(lng: number, lat: number, ring: Ring, eps = EDGE_EPSILON): boolean {
  for (let i = 1; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1]!;
    const [bx, by] = ring[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((lng - ax) * dx + (lat - ay) * dy) / len2)) : 0;
    const ex = ax + t * dx - lng;
    const ey = ay + t * dy - lat;
    if (ex * ex + ey * ey <= eps * eps) return true;
  }
  return false;
}

/**
 * The reference answer, by the tie rule GridIndex documents, scanning every
 * grid: linear in the number of grids. Tests and benches compare GridIndex with it.
 */
export function scanGridAt(grids: readonly Area[], lng: number, lat: number): number {
  for (let i = 0; i < grids.length; i++) if (pointInRing(lng, lat, grids[i]!.ring!)) return i;
  for (let i = 0; i < grids.length; i++) if (nearRingEdge(lng, lat, grids[i]!.ring!)) return i;
  return -1;
}

/**
 * Finds the grid containing a point among thousands: a packed static R-tree
 * (Flatbush) over the grids' bounding boxes, then the exact `pointInRing`
 * test on the few boxes that hold the point.
 *
 * Tie rule (shared with `scanGridAt`): of the grids whose ring contains the
 * point by `pointInRing`, the earliest in list order; if none does, the
 * earliest grid with an edge within EDGE_EPSILON of the point; else none.
 * Why the second step: for a point on an edge shared by two grids,
 * `pointInRing`'s half-open rule should count it in exactly one, but the two
 * grids walk the edge in opposite directions, so rounding can make both
 * claim it (the first step settles that) or both decline it (about 3 in
 * 10,000 points on shared edges of a jittered lattice; the second step puts
 * them in the earlier grid). So a point on a shared edge always gets exactly
 * one grid. The answers equal AreaIndex.gridAt's except in those cracks and
 * within EDGE_EPSILON outside the outer edges of the grids.
 *
 * Queries allocate nothing in this class (one bound visitor, a reused
 * buffer); Flatbush's `search` itself makes two short-lived arrays per call.
 */
export class GridIndex {
  /** The indexed grids; `assign` and `indexAt` answer with positions in this list. */
  readonly grids: readonly Area[];
  private readonly rings: Ring[];
  private readonly tree: Flatbush | null;
  // The query in progress, read by `visit`: one bound function for every query, so none allocates a closure.
  private qx = 0;
  private qy = 0;
  private best = -1;
  // Candidates that do not contain the point, kept for the edge step; grows, never shrinks.
  private misses = new Int32Array(16);
  private missCount = 0;
  private readonly visit = (i: number): boolean => {
    if (this.best >= 0 && i > this.best) return false;
    if (pointInRing(this.qx, this.qy, this.rings[i]!)) this.best = i;
    else if (this.best < 0) {
      if (this.missCount === this.misses.length) {
        const grown = new Int32Array(this.misses.length * 2);
        grown.set(this.misses);
        this.misses = grown;
      }
      this.misses[this.missCount++] = i;
    }
    return false; // keep Flatbush's result list empty: the answer is in `best`
  };

  /** From a tree: its grids (`gridsOf`). From a list: every area in it that has a ring, in list order. */
  constructor(source: AreaTree | readonly Area[]) {
    const areas = 'areas' in source ? gridsOf(source) : source.filter((a) => a.ring !== null);
    this.grids = areas;
    this.rings = areas.map((a) => a.ring!);
    if (this.rings.length === 0) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(this.rings.length);
    for (const ring of this.rings) {
      const [x0, y0, x1, y1] = ringBounds(ring);
      this.tree.add(x0, y0, x1, y1);
    }
    this.tree.finish();
  }

  get size(): number {
    return this.grids.length;
  }

  /** Position in `grids` of the grid containing the point, or -1 (also for NaN or infinite input). */
  indexAt(lng: number, lat: number): number {
    if (this.tree === null || !Number.isFinite(lng) || !Number.isFinite(lat)) return -1;
    this.qx = lng;
    this.qy = lat;
    this.best = -1;
    this.missCount = 0;
    const e = EDGE_EPSILON;
    this.tree.search(lng - e, lat - e, lng + e, lat + e, this.visit);
    if (this.best >= 0) return this.best;
    let edge = -1;
    for (let k = 0; k < this.missCount; k++) {
      const i = this.misses[k]!;
      if ((edge < 0 || i < edge) && nearRingEdge(lng, lat, this.rings[i]!)) edge = i;
    }
    return edge;
  }

  gridAt(lng: number, lat: number): Area | null {
    const i = this.indexAt(lng, lat);
    return i < 0 ? null : this.grids[i]!;
  }

  /**
   * Assigns a batch of points given as [lng0, lat0, lng1, lat1, …]: entry k of
   * the answer is the position in `grids` of point k's grid, or -1. Pass `out`
   * to reuse an answer buffer across batches.
   */
  assign(points: Float64Array, out?: Int32Array): Int32Array {
    if (points.length % 2 !== 0) throw new Error('points must hold lng,lat pairs');
    const n = points.length / 2;
    const answer = out ?? new Int32Array(n);
    if (answer.length < n) throw new Error(`out holds ${answer.length} entries, ${n} needed`);
    for (let k = 0; k < n; k++) answer[k] = this.indexAt(points[2 * k]!, points[2 * k + 1]!);
    return answer;
  }
}
