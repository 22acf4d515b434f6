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
    const sum = { vars: names.map((n) => this.unknown(n)), min: range.min, max: Math.min(range.max, CAP) };
    this.sums.push(sum);
    for (const v of sum.vars) this.byVar.set(v, [...(this.byVar.get(v) ?? []), sum]);
    this.isConsistent = undefined;
  }

  /** True when some assignment meets every figure learnt: each group of tied unknowns has a solution. */
  consistent(): boolean {
    return (this.isConsistent ??= this.solveAll());
  }

  private solveAll(): boolean {
    const done = new Set<number>();
    for (const v of this.index.values()) {
      if (done.has(v)) continue;
      const { vars, sums } = this.component(v);
      for (const x of vars) done.add(x);
      if (
        !feasible(
          vars.map(() => 0),
          vars.map(() => CAP),
          sums,
          { nodes: 0 },
        )
      )
        return false;
    }
    return true;
  }

  /** The exact range of one unknown over every solution; null when the figures contradict each other. */
  bounds(name: string): Range | null {
    if (!this.consistent()) return null;
    const v = this.index.get(name);
    if (v === undefined) return { min: 0, max: CAP };
    const { vars, sums } = this.component(v);
    const lo = vars.map(() => 0);
    const hi = vars.map(() => CAP);
    const local = vars.indexOf(v);
    if (!propagate(lo, hi, sums)) return null;
    const feasibleWithin = (a: number, b: number) => {
      const l = [...lo];
      const h = [...hi];
      l[local] = a;
      h[local] = b;
      return feasible(l, h, sums, { nodes: 0 });
    };
    if (!feasibleWithin(lo[local]!, hi[local]!)) return null;
    // Feasibility of "v ≤ m" only grows with m (and of "v ≥ m" only shrinks): binary search each end.
    let a = lo[local]!;
    let b = hi[local]!;
    while (a < b) {
      const m = a + Math.floor((b - a) / 2);
      if (feasibleWithin(lo[local]!, m)) b = m;
      else a = m + 1;
    }
    const min = a;
    a = min;
    b = hi[local]!;
    while (a < b) {
      const m = a + Math.ceil((b - a) / 2);
      if (feasibleWithin(m, hi[local]!)) a = m;
      else b = m - 1;
    }
    return { min, max: a };
  }

  /** The unknowns tied to v through shared figures, and those figures, renumbered from 0. */
  private component(v: number): { vars: number[]; sums: Sum[] } {
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
    const vars = [...seen];
    const at = new Map(vars.map((x, i) => [x, i]));
    return { vars, sums: [...bySum].map((s) => ({ ...s, vars: s.vars.map((x) => at.get(x)!) })) };
  }
}

/** Narrows [lo, hi] in place until no figure narrows it further; false when some figure cannot hold. */
function propagate(lo: number[], hi: number[], sums: readonly Sum[]): boolean {
  for (let changed = true; changed;) {
    changed = false;
    for (const s of sums) {
      let sLo = 0;
      let sHi = 0;
      for (const x of s.vars) {
        sLo += lo[x]!;
        sHi += hi[x]!;
      }
      if (sLo > s.max || sHi < s.min) return false;
      for (const x of s.vars) {
        const l = Math.max(lo[x]!, s.min - (sHi - hi[x]!));
        const h = Math.min(hi[x]!, s.max - (sLo - lo[x]!));
        if (l > h) return false;
        if (l !== lo[x] || h !== hi[x]) {
          sLo += l - lo[x]!;
          sHi += h - hi[x]!;
          lo[x] = l;
          hi[x] = h;
          changed = true;
        }
      }
    }
  }
  return true;
}

/** Is there an integer point in [lo, hi] meeting every figure? Complete: propagate, then split a domain in two. */
function feasible(lo: number[], hi: number[], sums: readonly Sum[], spent: { nodes: number }): boolean {
  if (++spent.nodes > BUDGET) throw new Error('attacker: search budget exhausted; result unknown, not a pass');
  if (!propagate(lo, hi, sums)) return false;
  let pick = -1;
  for (let x = 0; x < lo.length; x++)
    if (lo[x]! < hi[x]! && (pick < 0 || hi[x]! - lo[x]! < hi[pick]! - lo[pick]!)) pick = x;
  // Every domain a single value and every figure checked by propagate: a solution.
  if (pick < 0) return true;
  const mid = lo[pick]! + Math.floor((hi[pick]! - lo[pick]!) / 2);
  const h = [...hi];
  h[pick] = mid;
  if (feasible([...lo], h, sums, spent)) return true;
  const l = [...lo];
  l[pick] = mid + 1;
  return feasible(l, [...hi], sums, spent);
}
