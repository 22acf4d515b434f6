import { GridIndex } from './index/grid-index.js';
import type { Area, AreaTree } from './types.js';

/** The area tree with lookups: by code, by ancestry, and the grid containing a point (packed R-tree, grid-index.ts). */
export class AreaIndex {
  readonly byCode = new Map<string, Area>();
  private readonly grids: GridIndex;

  constructor(tree: AreaTree) {
    for (const a of tree.areas) this.byCode.set(a.code, a);
    this.grids = new GridIndex(tree);
  }

  gridAt(lng: number, lat: number): Area | null {
    return this.grids.gridAt(lng, lat);
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
