import type { AreaCollection, AreaNode } from '@linli/contract';

export type { AreaNode } from '@linli/contract';
export type Level = AreaNode['level'];
export type Bounds = [[number, number], [number, number]];

/**
 * The areas this user may see, for drill-down: names (ring-less levels too),
 * children, the chain above, and bounds made of the grids inside.
 */
export class AreaTree {
  readonly nodes = new Map<string, AreaNode>();
  private readonly kids = new Map<string, string[]>();
  private readonly rings = new Map<string, [number, number][]>();
  private readonly boundsCache = new Map<string, Bounds | null>();

  constructor(
    list: readonly AreaNode[],
    areas: AreaCollection,
    /** The user's own area: the top of what they may drill into. */
    readonly root: string,
  ) {
    for (const n of list) this.nodes.set(n.code, n);
    for (const f of areas.features) {
      this.rings.set(f.properties.code, f.geometry.coordinates[0] ?? []);
      if (!this.nodes.has(f.properties.code)) this.nodes.set(f.properties.code, f.properties as AreaNode);
    }
    for (const n of this.nodes.values())
      if (n.parent) this.kids.set(n.parent, [...(this.kids.get(n.parent) ?? []), n.code]);
    for (const k of this.kids.values()) k.sort();
  }

  name(code: string): string {
    return this.nodes.get(code)?.name ?? code;
  }
  level(code: string): Level | undefined {
    return this.nodes.get(code)?.level;
  }
  children(code: string): string[] {
    return this.kids.get(code) ?? [];
  }
  ring(code: string): [number, number][] | undefined {
    return this.rings.get(code);
  }
  /** True when `code` is the user's area or inside it (what they may drill to). */
  reachable(code: string): boolean {
    return this.nodes.has(code) && (code === this.root || this.isAncestor(this.root, code));
  }
  isAncestor(a: string, b: string): boolean {
    for (let p = this.nodes.get(b)?.parent; p; p = this.nodes.get(p)?.parent) if (p === a) return true;
    return false;
  }
  /** From the top of the tree down to `code`. */
  chain(code: string): string[] {
    const out: string[] = [];
    for (let c: string | null | undefined = code; c; c = this.nodes.get(c)?.parent) out.unshift(c);
    return out;
  }
  /** Every grid at or below `code`. */
  grids(code: string): string[] {
    if (this.level(code) === 'grid') return [code];
    return this.children(code).flatMap((c) => this.grids(c));
  }
  /** The child of `ancestor` on the way down to `code`, or null. */
  childToward(ancestor: string, code: string): string | null {
    const c = this.chain(code);
    const i = c.indexOf(ancestor);
    return i >= 0 && i + 1 < c.length ? c[i + 1]! : null;
  }
  bounds(code: string): Bounds | null {
    if (this.boundsCache.has(code)) return this.boundsCache.get(code)!;
    let w = 180;
    let s = 90;
    let e = -180;
    let n = -90;
    const codes = this.rings.has(code) ? [code] : this.grids(code);
    for (const g of codes)
      for (const [x, y] of this.rings.get(g) ?? []) {
        w = Math.min(w, x);
        s = Math.min(s, y);
        e = Math.max(e, x);
        n = Math.max(n, y);
      }
    const b: Bounds | null =
      w <= e
        ? [
            [w, s],
            [e, n],
          ]
        : null;
    this.boundsCache.set(code, b);
    return b;
  }
  centre(code: string): [number, number] | null {
    const b = this.bounds(code);
    return b ? [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] : null;
  }
}
