/**
 * Memoised layer factories. A redraw asks for every layer group it shows; a
 * group whose inputs are the same objects (by identity, Object.is) as last
 * time gets the same deck.gl layer objects back, so deck.gl matches them and
 * recomputes nothing (the habit of deck.gl's own composite layers). Inputs
 * are chosen to change identity only when what is drawn does: the stores
 * keep arrays stable until their content changes, and a clock enters only
 * while something is animated.
 *
 * `rebuilt` names the groups built anew since begin(): the redraw-cost
 * measurement the cockpit and the wall publish as window.linli.state.layersRebuilt
 * (redraw-cost.ts).
 */
export class LayerMemo {
  private readonly cache = new Map<string, { deps: readonly unknown[]; value: unknown }>();
  private built: string[] = [];
  /** Builds per group since the page opened. */
  readonly totals: Record<string, number> = {};

  /** Starts a redraw's count. */
  begin(): void {
    this.built = [];
  }

  /** Groups built anew since begin(), in drawing order. */
  get rebuilt(): readonly string[] {
    return this.built;
  }

  /**
   * Drops every cached layer (the counts stay). A rebuilt map (a lost WebGL
   * context, stage.ts) gets a new deck.gl, which cannot take layers another
   * deck.gl initialised: every group is built anew for it.
   */
  forget(): void {
    this.cache.clear();
  }

  /** The cached value for `group` when every dep is the same as last time; otherwise make() (counted). */
  get<T>(group: string, deps: readonly unknown[], make: () => T): T {
    const hit = this.cache.get(group);
    if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => Object.is(d, deps[i])))
      return hit.value as T;
    const value = make();
    this.cache.set(group, { deps, value });
    this.built.push(group);
    this.totals[group] = (this.totals[group] ?? 0) + 1;
    return value;
  }
}
