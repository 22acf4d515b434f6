import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Attacker, type Range } from './attacker.js';

/** Every point of {0…top}^n meeting the figures, the slow way: the referee for the solver. */
function bruteBounds(n: number, top: number, figures: { vars: number[]; range: Range }[]): (Range | null)[] {
  const out: (Range | null)[] = Array.from({ length: n }, () => null);
  const x = new Array<number>(n).fill(0);
  const walk = (i: number) => {
    if (i === n) {
      for (const f of figures) {
        const s = f.vars.reduce((a, v) => a + x[v]!, 0);
        if (s < f.range.min || s > f.range.max) return;
      }
      x.forEach((v, j) => {
        const r = out[j];
        out[j] = r ? { min: Math.min(r.min, v), max: Math.max(r.max, v) } : { min: v, max: v };
      });
      return;
    }
    for (let v = 0; v <= top; v++) {
      x[i] = v;
      walk(i + 1);
    }
  };
  walk(0);
  return out;
}

describe('the attacker solver', () => {
  it('solves the classic subtraction and a two-way table', () => {
    const a = new Attacker();
    a.learn(['x'], { min: 1, max: 4 });
    a.learn(['y'], { min: 1, max: 4 });
    a.learn(['x', 'y', 'z'], { min: 15, max: 15 });
    a.learn(['z'], { min: 7, max: 7 });
    expect(a.bounds('x')).toEqual({ min: 4, max: 4 });
    // A cycle of sums where bounds propagation narrows nothing (every domain stays 0–1) and only the
    // search finds the answer: y = 1 − x, z = x, so x + z = 2x ∈ [1, 2] forces x = z = 1, y = 0.
    const t = new Attacker();
    t.learn(['x', 'y'], { min: 1, max: 1 });
    t.learn(['y', 'z'], { min: 1, max: 1 });
    t.learn(['x', 'z'], { min: 1, max: 2 });
    expect(t.bounds('x')).toEqual({ min: 1, max: 1 });
    expect(t.bounds('y')).toEqual({ min: 0, max: 0 });
    expect(t.bounds('nobody')).toEqual({ min: 0, max: 1_000_000 });
    const bad = new Attacker();
    bad.learn(['p', 'q'], { min: 9, max: 9 });
    bad.learn(['p'], { min: 0, max: 4 });
    bad.learn(['q'], { min: 0, max: 4 });
    expect(bad.bounds('p')).toBeNull();
  });

  it('finds exactly the bounds brute force finds, over random systems of sums (property)', () => {
    const TOP = 6;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(
              fc.record({
                vars: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n }),
                a: fc.nat({ max: 3 * TOP }),
                w: fc.nat({ max: 6 }),
              }),
              { maxLength: 5 },
            ),
          ),
        ),
        ([n, raw]) => {
          // Each unknown capped at TOP so brute force is finite; the solver gets the cap as figures too.
          const figures = [
            ...Array.from({ length: n }, (_, i) => ({ vars: [i], range: { min: 0, max: TOP } })),
            ...raw.map((f) => ({ vars: f.vars, range: { min: f.a, max: f.a + f.w } })),
          ];
          const att = new Attacker();
          for (const f of figures)
            att.learn(
              f.vars.map((v) => `v${v}`),
              f.range,
            );
          const want = bruteBounds(n, TOP, figures);
          for (let i = 0; i < n; i++) expect(att.bounds(`v${i}`)).toEqual(want[i]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
