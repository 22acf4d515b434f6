import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AreaIndex } from '../../src/area-index.js';
import { gridsOf } from '../../src/index/grid-index.js';
import { syntheticCity } from '../../src/index/synthetic-city.js';
import { pointInRing } from '../../src/polygon.js';

/** Twice the signed area (positive when counter-clockwise in lng/lat). */
function signedArea2(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a;
}

describe('syntheticCity', () => {
  it('makes exactly N grids with unique admin-pattern codes under communities and streets', () => {
    for (const n of [1, 7, 100, 1234]) {
      const tree = syntheticCity({ grids: n, seed: 3, gridsPerCommunity: 50 });
      const grids = gridsOf(tree);
      expect(grids).toHaveLength(n);
      expect(new Set(tree.areas.map((a) => a.code)).size).toBe(tree.areas.length);
      const index = new AreaIndex(tree);
      for (const g of grids) {
        expect(g.code).toMatch(/^341302\d{9}$/);
        expect(index.ancestry(g.code).map((a) => a.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
      }
      expect(index.children(grids[0]!.parent!).length).toBe(Math.min(n, 50));
    }
    expect(() => syntheticCity({ grids: 0 })).toThrow(/positive/);
  });

  it('is the same city for the same seed and a different one for another seed', () => {
    const a = JSON.stringify(syntheticCity({ grids: 500, seed: 9 }));
    expect(JSON.stringify(syntheticCity({ grids: 500, seed: 9 }))).toBe(a);
    expect(JSON.stringify(syntheticCity({ grids: 500, seed: 10 }))).not.toBe(a);
  });

  it('tessellates: convex counter-clockwise quads whose inner edges are shared, reversed, by exactly two grids', () => {
    const grids = gridsOf(syntheticCity({ grids: 2500, seed: 5 }));
    const uses = new Map<string, number>();
    for (const g of grids) {
      const ring = g.ring!;
      expect(ring).toHaveLength(5);
      expect(ring[4]).toEqual(ring[0]);
      expect(signedArea2(ring)).toBeGreaterThan(0);
      for (let i = 0; i < 4; i++) {
        const [p, q, r] = [ring[i]!, ring[i + 1]!, ring[(i + 2) % 4]!];
        expect((q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0])).toBeGreaterThan(0);
        const key = `${p.join()}>${q.join()}`;
        expect(uses.has(key)).toBe(false); // no edge is walked the same way twice: no overlap
        uses.set(key, 1);
      }
    }
    // 50 × 50 quads: 2 × 50 × 49 inner edges, each walked once each way; 4 × 50 outer edges walked once.
    const reversed = [...uses.keys()].filter((k) => uses.has(k.split('>').reverse().join('>')));
    expect(reversed).toHaveLength(2 * 2 * 50 * 49);
    expect(uses.size - reversed.length).toBe(4 * 50);
  });

  it('leaves no gap and no overlap: a point inside the lattice lies in exactly one grid', () => {
    const grids = gridsOf(syntheticCity({ grids: 400, seed: 8, cellMetres: 100 }));
    // Inside the inner 18 × 18 cells: clear of the jittered outer boundary (cells are ~0.00108° × 0.0009°).
    const [x0, y0] = grids[21]!.ring![2]!;
    const [x1, y1] = grids[378]!.ring![0]!;
    fc.assert(
      fc.property(
        fc.double({ min: x0, max: x1, noNaN: true }),
        fc.double({ min: y0, max: y1, noNaN: true }),
        (lng, lat) => {
          expect(grids.filter((g) => pointInRing(lng, lat, g.ring!)).length).toBe(1);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
