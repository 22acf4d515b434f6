import type { AreaNode } from '@linli/contract';
import { loadDemoCity, toGeoJson } from '@linli/geo';
import { describe, expect, it } from 'vitest';
import { AreaTree } from './area-tree.js';

/** The demo city as the hub serves it: names of every level, polygons where there are rings. */
function demoTree(root: string): AreaTree {
  const city = loadDemoCity();
  const list: AreaNode[] = city.areas.map(({ code, name, level, parent }) => ({ code, name, level, parent }));
  return new AreaTree(list, toGeoJson(city) as ConstructorParameters<typeof AreaTree>[1], root);
}

describe('AreaTree over the demo city', () => {
  const city = loadDemoCity();
  const grid = city.areas.find((a) => a.level === 'grid')!;
  const community = grid.parent!;
  const street = city.areas.find((a) => a.code === community)!.parent!;

  it('walks from the top down to a grid and names every step', () => {
    const t = demoTree('341300');
    const chain = t.chain(grid.code);
    expect(chain.at(-1)).toBe(grid.code);
    expect(chain).toContain(community);
    expect(chain).toContain(street);
    expect(t.name(grid.code)).toBe(grid.name);
    expect(t.childToward(street, grid.code)).toBe(community);
    expect(t.childToward(grid.code, street)).toBeNull();
  });

  it('finds every grid under an area, and only grids', () => {
    const t = demoTree('341300');
    const grids = t.grids(community);
    expect(grids).toContain(grid.code);
    expect(grids.every((g) => t.level(g) === 'grid' && g.startsWith(community))).toBe(true);
    expect(t.grids(grid.code)).toEqual([grid.code]);
  });

  it('lets a user reach their own area and below, never above or beside', () => {
    const t = demoTree(community);
    expect(t.reachable(community)).toBe(true);
    expect(t.reachable(grid.code)).toBe(true);
    expect(t.reachable(street)).toBe(false);
    const other = city.areas.find((a) => a.level === 'community' && a.code !== community)!;
    expect(t.reachable(other.code)).toBe(false);
  });

  it('bounds an area by its grids and centres it inside them', () => {
    const t = demoTree('341300');
    const b = t.bounds(community)!;
    for (const g of t.grids(community))
      for (const [x, y] of t.ring(g) ?? []) {
        expect(x).toBeGreaterThanOrEqual(b[0][0]);
        expect(x).toBeLessThanOrEqual(b[1][0]);
        expect(y).toBeGreaterThanOrEqual(b[0][1]);
        expect(y).toBeLessThanOrEqual(b[1][1]);
      }
    const [cx, cy] = t.centre(community)!;
    expect(cx).toBeGreaterThan(b[0][0]);
    expect(cy).toBeLessThan(b[1][1]);
    expect(t.bounds('999999')).toBeNull();
    expect(t.centre('999999')).toBeNull();
  });
});
