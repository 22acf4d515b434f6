import type { AreaCollection, AreaTreeNode } from '@linli/contract';
import type { NamedArea } from './layers/area-names.js';

export type { AreaTreeNode as AreaNode } from '@linli/contract';
export type Level = AreaTreeNode['level'];
export type Bounds = [[number, number], [number, number]];

/** One area and those inside it, as /api/areas?under= answers (a subset of what the viewer may see). */
export type RingSource = (under: string) => Promise<AreaCollection>;

/**
 * The areas this user may see, for drill-down: names (ring-less levels too),
 * children, the chain above, bounds and label anchors, all from /api/area-tree
 * without a single polygon. Polygons are drawn from the hub's vector tiles;
 * the few rings the page itself needs (the selected grid's outline) are
 * fetched one community at a time (`loadRings`), so a city of 15,000 grids
 * costs the first render a tree, not every ring.
 */
export class AreaTree {
  readonly nodes = new Map<string, AreaTreeNode>();
  private readonly kids = new Map<string, string[]>();
  private readonly rings = new Map<string, [number, number][]>();
  private readonly ringLoads = new Map<string, Promise<void>>();

  constructor(
    list: readonly AreaTreeNode[],
    /** The user's own area: the top of what they may drill into. */
    readonly root: string,
    private readonly ringSource: RingSource | null = null,
  ) {
    for (const n of list) this.nodes.set(n.code, n);
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
  /** The ring of `code` once loadRings fetched it (or its community); undefined before. */
  ring(code: string): [number, number][] | undefined {
    return this.rings.get(code);
  }
  /**
   * The districts, streets and communities that may carry their names on the
   * map (layers/area-names.ts picks which do at a scale): those with a box,
   * each at the anchor the hub chose inside it (its box's centre should the
   * hub have found none: an area with a ring and no grids, shaped so that its
   * vertices' mean falls outside it).
   */
  namedAreas(): NamedArea[] {
    return [...this.nodes.values()].flatMap((n) => {
      if ((n.level !== 'district' && n.level !== 'street' && n.level !== 'community') || !n.bbox) return [];
      const [w, s, e, no] = n.bbox;
      const position = n.anchor ?? [(w + e) / 2, (s + no) / 2];
      return [{ code: n.code, parent: n.parent, name: n.name, level: n.level, position, bbox: n.bbox }];
    });
  }
  /**
   * Fetches the rings of the community holding `code` (itself and its grids),
   * once; areas above community level need none. Resolves when they are in.
   */
  loadRings(code: string): Promise<void> {
    const community = this.chain(code).find((c) => this.level(c) === 'community');
    if (!community || !this.ringSource) return Promise.resolve();
    // A viewer inside a community asks for it all the same: the hub answers only what they may see of it.
    let load = this.ringLoads.get(community);
    if (!load) {
      load = this.ringSource(community).then(
        (fc) => {
          for (const f of fc.features) this.rings.set(f.properties.code, f.geometry.coordinates[0] ?? []);
        },
        (err: unknown) => {
          this.ringLoads.delete(community); // asked again at the next selection
          console.warn(`rings of ${community} not loaded`, err);
        },
      );
      this.ringLoads.set(community, load);
    }
    return load;
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
  /** The hub's bbox of the area: its own ring's, else its grids'. */
  bounds(code: string): Bounds | null {
    const b = this.nodes.get(code)?.bbox;
    return b
      ? [
          [b[0], b[1]],
          [b[2], b[3]],
        ]
      : null;
  }
  centre(code: string): [number, number] | null {
    const b = this.bounds(code);
    return b ? [(b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2] : null;
  }
}
