import Flatbush from 'flatbush';
import { distanceToSegment, locate, onSegment, type Pt } from './planar.js';

/** Below this many edges a plain loop beats building an R-tree. */
const INDEX_FROM = 48;

/**
 * Point questions about one closed ring — inside/outside/on, distance to the boundary,
 * where a horizontal line crosses it — answered in O(log n + k) with a packed R-tree
 * (Flatbush) over the edges' boxes, so a district boundary of 20,000 vertices costs no
 * more per question than a grid's. Small rings skip the tree and loop. Same answers as
 * `locate`/`distanceToSegment`/scanline crossings over every edge.
 */
export class RingEdges {
  readonly ring: readonly Pt[];
  private readonly tree: Flatbush | null;
  private found: number[] = [];
  private all: number[] | undefined;
  private readonly collect = (i: number): boolean => {
    this.found.push(i);
    return false;
  };

  constructor(ring: readonly Pt[]) {
    this.ring = ring;
    const edges = ring.length - 1;
    if (edges < INDEX_FROM) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(edges);
    for (let i = 0; i < edges; i++) {
      const [a, b] = [ring[i]!, ring[i + 1]!];
      this.tree.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    }
    this.tree.finish();
  }

  /**
   * Indices i of edges ring[i]→ring[i+1] whose boxes touch the box; every edge for a small ring.
   * The array is reused by the next question: read it before asking another.
   */
  edgesNear(x0: number, y0: number, x1: number, y1: number): readonly number[] {
    if (!this.tree) {
      this.all ??= Array.from({ length: this.ring.length - 1 }, (_, i) => i);
      return this.all;
    }
    this.found = [];
    this.tree.search(x0, y0, x1, y1, this.collect);
    return this.found;
  }

  /** Inside, outside or within `eps` of the boundary (even-odd rule, like `locate`). */
  locate(p: Pt, eps = 0): 'in' | 'out' | 'on' {
    const r = this.ring;
    if (!this.tree) return locate(p, r, eps);
    for (const i of this.edgesNear(p[0] - eps, p[1] - eps, p[0] + eps, p[1] + eps)) {
      const [a, b] = [r[i]!, r[i + 1]!];
      if (eps > 0 ? distanceToSegment(p, a, b) <= eps : onSegment(p, a, b)) return 'on';
    }
    let inside = false;
    for (const i of this.edgesNear(p[0], p[1], Infinity, p[1])) {
      const [a, b] = [r[i]!, r[i + 1]!];
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
        inside = !inside;
    }
    return inside ? 'in' : 'out';
  }

  /** Distance from p to the nearest edge: searches a growing box until the nearest edge is certainly in it. */
  distance(p: Pt, guess = 1): number {
    const r = this.ring;
    for (let d = Math.max(guess, 1e-9); ; d *= 4) {
      let best = Infinity;
      for (const i of this.edgesNear(p[0] - d, p[1] - d, p[0] + d, p[1] + d))
        best = Math.min(best, distanceToSegment(p, r[i]!, r[i + 1]!));
      // Every edge within `best` of p has a box within `best` of p: one more search if best > d.
      if (best <= d || !this.tree) return best;
      if (best < Infinity) {
        for (const i of this.edgesNear(p[0] - best, p[1] - best, p[0] + best, p[1] + best))
          best = Math.min(best, distanceToSegment(p, r[i]!, r[i + 1]!));
        return best;
      }
    }
  }

  /** x of every crossing of the horizontal line at y (half-open rule; shared edges give the same x), sorted. */
  crossings(y: number): number[] {
    const xs: number[] = [];
    const r = this.ring;
    for (const i of this.edgesNear(-Infinity, y, Infinity, y)) {
      let [a, b] = [r[i]!, r[i + 1]!];
      if (a[1] > y === b[1] > y) continue;
      if (a[1] > b[1]) [a, b] = [b, a];
      xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
    }
    return xs.sort((u, v) => u - v);
  }
}
