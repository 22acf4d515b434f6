/**
 * The attacker of published counts, written independently of the code that
 * publishes them. Unknowns are the true counts (non-negative integers); every
 * figure a viewer received becomes a constraint `min ≤ Σ unknowns ≤ max`
 * (a shown cell: one unknown, min = max; "<5": one unknown in [0, 4]; a
 * total: the sum of a row; an area total: the sum of its grids). `bounds`
 * returns each unknown's exact smallest and largest value over all integer
 * solutions: bounds propagation to a fixpoint narrows the domains, and a
 * complete branch-and-propagate search (bisection) decides feasibility, so
 * each end returned has a solution that reaches it.
 */

/** A value no count in these tests comes near: stands for "unbounded" and keeps every domain finite. */
export const CAP = 1_000_000;
/** Search nodes per feasibility question; running out fails the test instead of passing it silently. */
const BUDGET = 200_000;

interface Sum {
  vars: number[];
  min: number;
  max: number;
}

export interface Range {
  min: number;
  max: number;
}

export class Attacker {
  private readonly index = new Map<string, number>();
  private readonly sums: Sum[] = [];
  private readonly byVar = new Map<number, Sum[]>();
  private readonly problems = new Map<number, Problem>();
  private isConsistent: boolean | undefined;

  /** The unknown for a name, created on first use. */
  unknown(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) this.index.set(name, (i = this.index.size));
    return i;
  }

  get names(): string[] {
    return [...this.index.keys()];
  }

  /** Learns that min ≤ Σ names ≤ max. */
  learn(names: readonly string[], range: Range): void {
    if (!Number.isInteger(range.min) || !(Number.isInteger(range.max) || range.max === Infinity))
      throw new Error(`attacker: not a range of counts: ${JSON.stringify(range)}`);
    const sum = { vars: names.map((n) => this.unknown(n)), min: range.min, max: Math.min(range.max, CAP) };
    this.sums.push(sum);
    for (const v of sum.vars) this.byVar.set(v, [...(this.byVar.get(v) ?? []), sum]);
    this.isConsistent = undefined;
    this.problems.clear();
  }

  /** True when some assignment meets every figure learnt: each group of tied unknowns has a solution. */
  consistent(): boolean {
    return (this.isConsistent ??= [...this.index.values()].every((v) => this.problem(v).solve(null, null) !== null));
  }

  /** The exact range of one unknown over every solution; null when the figures contradict each other. */
  bounds(name: string): Range | null {
    if (!this.consistent()) return null;
    const v = this.index.get(name);
    if (v === undefined) return { min: 0, max: CAP };
    const p = this.problem(v);
    const x = p.local(v);
    const { lo, hi } = p.root;
    // A solution already found that reaches an end settles it; otherwise binary search, since
    // "a solution with x ≤ m" only becomes possible as m grows (and "x ≥ m" only as m shrinks).
    let a = lo[x]!;
    let b = hi[x]!;
    if (!p.witnesses.some((w) => w[x] === a))
      while (a < b) {
        const m = a + Math.floor((b - a) / 2);
        if (p.solve(x, [lo[x]!, m])) b = m;
        else a = m + 1;
      }
    const min = a;
    b = hi[x]!;
    if (p.witnesses.some((w) => w[x] === b)) return { min, max: b };
    while (a < b) {
      const m = a + Math.ceil((b - a) / 2);
      if (p.solve(x, [m, hi[x]!])) a = m;
      else b = m - 1;
    }
    return { min, max: a };
  }

  /** The unknowns tied to v through shared figures, as one problem (shared by all of them). */
  private problem(v: number): Problem {
    const known = this.problems.get(v);
    if (known) return known;
    const seen = new Set([v]);
    const todo = [v];
    const bySum = new Set<Sum>();
    while (todo.length) {
      const x = todo.pop()!;
      for (const s of this.byVar.get(x) ?? []) {
        if (bySum.has(s)) continue;
        bySum.add(s);
        for (const y of s.vars)
          if (!seen.has(y)) {
            seen.add(y);
            todo.push(y);
          }
      }
    }
    const p = new Problem([...seen], [...bySum]);
    for (const x of seen) this.problems.set(x, p);
    return p;
  }
}

/** One group of unknowns tied by figures, renumbered from 0, with the solutions found so far. */
class Problem {
  private readonly at: Map<number, number>;
  private readonly sums: Sum[];
  /** For each unknown, the figures it appears in. */
  private readonly occ: number[][];
  readonly witnesses: number[][] = [];
  /** The domains after propagation alone (null lo/hi when the figures cannot all hold). */
  readonly root: { lo: number[]; hi: number[] };

  constructor(vars: number[], sums: Sum[]) {
    this.at = new Map(vars.map((x, i) => [x, i]));
    this.sums = sums.map((s) => ({ ...s, vars: s.vars.map((x) => this.at.get(x)!) }));
    this.occ = vars.map(() => []);
    this.sums.forEach((s, i) => s.vars.forEach((x) => this.occ[x]!.push(i)));
    const lo = vars.map(() => 0);
    const hi = vars.map(() => CAP);
    this.propagate(
      lo,
      hi,
      this.sums.map((_, i) => i),
    );
    this.root = { lo, hi };
  }

  local(v: number): number {
    return this.at.get(v)!;
  }

  /** A solution (with unknown x inside [a, b] when given), remembered; null when there is none. */
  solve(x: number | null, range: [number, number] | null): number[] | null {
    const lo = [...this.root.lo];
    const hi = [...this.root.hi];
    if (x !== null && range) {
      lo[x] = Math.max(lo[x]!, range[0]);
      hi[x] = Math.min(hi[x]!, range[1]);
      if (lo[x]! > hi[x]!) return null;
    }
    const w = this.search(lo, hi, x === null ? this.sums.map((_, i) => i) : [...this.occ[x]!], { nodes: 0 });
    if (w) this.witnesses.push(w);
    return w;
  }

  /** Complete: propagate, then split the smallest open domain in two and try each half. */
  private search(lo: number[], hi: number[], queue: number[], spent: { nodes: number }): number[] | null {
    if (++spent.nodes > BUDGET) throw new Error('attacker: search budget exhausted; result unknown, not a pass');
    if (!this.propagate(lo, hi, queue)) return null;
    let pick = -1;
    for (let x = 0; x < lo.length; x++)
      if (lo[x]! < hi[x]! && (pick < 0 || hi[x]! - lo[x]! < hi[pick]! - lo[pick]!)) pick = x;
    // Every domain a single value and every figure checked by propagate: a solution.
    if (pick < 0) return lo;
    const mid = lo[pick]! + Math.floor((hi[pick]! - lo[pick]!) / 2);
    const h = [...hi];
    h[pick] = mid;
    const left = this.search([...lo], h, [...this.occ[pick]!], spent);
    if (left) return left;
    const l = [...lo];
    l[pick] = mid + 1;
    return this.search(l, [...hi], [...this.occ[pick]!], spent);
  }

  /**
   * Narrows [lo, hi] in place until no figure narrows it further, revisiting only the figures
   * of unknowns that changed; false when some figure cannot hold.
   */
  private propagate(lo: number[], hi: number[], queue: number[]): boolean {
    const queued = new Uint8Array(this.sums.length);
    for (const i of queue) queued[i] = 1;
    while (queue.length) {
      const si = queue.pop()!;
      queued[si] = 0;
      const s = this.sums[si]!;
      let sLo = 0;
      let sHi = 0;
      for (const x of s.vars) {
        sLo += lo[x]!;
        sHi += hi[x]!;
      }
      if (sLo > s.max || sHi < s.min) return false;
      let changed = false;
      for (const x of s.vars) {
        const l = Math.max(lo[x]!, s.min - (sHi - hi[x]!));
        const h = Math.min(hi[x]!, s.max - (sLo - lo[x]!));
        if (l > h) return false;
        if (l === lo[x] && h === hi[x]) continue;
        sLo += l - lo[x]!;
        sHi += h - hi[x]!;
        lo[x] = l;
        hi[x] = h;
        changed = true;
        for (const t of this.occ[x]!)
          if (!queued[t]) {
            queued[t] = 1;
            queue.push(t);
          }
      }
      // Unknowns seen before a change in this figure may narrow further: look at it again.
      if (changed && !queued[si]) {
        queued[si] = 1;
        queue.push(si);
      }
    }
    return true;
  }
}
