import { pointInRing, ringBounds } from './polygon.js';
import type { Area, AreaTree } from './types.js';

/**
 * Finds the grid that contains a point. A bounding-box prefilter then an exact
 * test; fine for the demo's few dozen grids (a packed R-tree replaces the scan
 * when cities bring thousands).
 */
export class AreaIndex {
  readonly byCode = new Map<string, Area>();
  private readonly grids: { area: Area; bbox: [number, number, number, number] }[] = [];

  constructor(tree: AreaTree) {
    for (const a of tree.areas) {
      this.byCode.set(a.code, a);
      if (a.level === 'grid' && a.ring) this.grids.push({ area: a, bbox: ringBounds(a.ring) });
    }
  }

  gridAt(lng: number, lat: number): Area | null {
    for (const g of this.grids) {
      const [x0, y0, x1, y1] = g.bbox;
      if (lng < x0 || lng > x1 || lat < y0 || lat > y1) continue;
      if (pointInRing(lng, lat, g.area.ring!)) return g.area;
    }
    return null;
  }

  /** The chain from the city down to `code`, e.g. for breadcrumbs and scope checks. */
  ancestry(code: string): Area[] {
    const out: Area[] = [];
    for (let a = this.byCode.get(code); a; a = a.parent ? this.byCode.get(a.parent) : undefined) out.unshift(a);
    return out;
  }

  children(code: string): Area[] {
    return [...this.byCode.values()].filter((a) => a.parent === code);
  }
}
