import type { AreaCollection, AreaTreeNode } from '@linli/contract';
import { loadDemoCity, toGeoJson } from '@linli/geo';
import { describe, expect, it } from 'vitest';
import { areaExtents, visibleBox } from '../../src/api/area-extents.js';
import { AreaTree } from './area-tree.js';

/** The demo city as the hub serves it: names of every level, bounds and anchors; rings only when asked for. */
function demoTree(root: string, asked: string[] = []): AreaTree {
  const city = loadDemoCity();
  const ext = areaExtents(city);
  const list: AreaTreeNode[] = city.areas.map(({ code, name, level, parent }) => {
    const anchor = ext.get(code)?.anchor;
    return { code, name, level, parent, bbox: visibleBox(ext.get(code), true), ...(anchor ? { anchor } : {}) };
  });
  const fc = toGeoJson(city) as unknown as AreaCollection;
  return new AreaTree(list, root, async (under) => {
    asked.push(under);
    return { ...fc, features: fc.features.filter((f) => f.properties.code.startsWith(under)) };
  });
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

  it('bounds an area by its grids and centres it inside them', async () => {
    const t = demoTree('341300');
    await t.loadRings(community);
    const b = t.bounds(community)!;
    for (const g of t.grids(community))
      for (const [x, y] of t.ring(g) ?? []) {
        expect(x).toBeGreaterThanOrEqual(b[0][0] - 1e-6);
        expect(x).toBeLessThanOrEqual(b[1][0] + 1e-6);
        expect(y).toBeGreaterThanOrEqual(b[0][1] - 1e-6);
        expect(y).toBeLessThanOrEqual(b[1][1] + 1e-6);
      }
    const [cx, cy] = t.centre(community)!;
    expect(cx).toBeGreaterThan(b[0][0]);
    expect(cy).toBeLessThan(b[1][1]);
    expect(t.bounds('999999')).toBeNull();
    expect(t.centre('999999')).toBeNull();
  });

  it('holds no ring until one is needed, then fetches its community once', async () => {
    const asked: string[] = [];
    const t = demoTree('341300', asked);
    expect(t.ring(grid.code)).toBeUndefined();
    await t.loadRings(street); // above community level: nothing to fetch
    expect(asked).toEqual([]);
    await Promise.all([t.loadRings(grid.code), t.loadRings(community)]);
    expect(asked).toEqual([community]);
    expect(t.ring(grid.code)).toEqual(grid.ring);
    expect(t.ring(community)?.length).toBeGreaterThan(3);
  });

  it('offers every community to the map labels at the mean of its ring, and every street and district at the anchor the hub chose', () => {
    const named = demoTree('341300').namedAreas();
    const communities = city.areas.filter((a) => a.level === 'community');
    expect(named.filter((n) => n.level === 'community')).toHaveLength(communities.length);
    for (const c of communities) {
      const pts = c.ring!.slice(0, -1);
      const x = pts.reduce((s, p) => s + p[0], 0) / pts.length;
      const l = named.find((n) => n.name === c.name)!;
      expect(Math.abs(l.position[0] - x)).toBeLessThan(1e-6);
    }
    const coarse = named.filter((n) => n.level !== 'community');
    expect(coarse.map((n) => n.level).sort()).toEqual(
      city.areas
        .filter((a) => a.level === 'street' || a.level === 'district')
        .map((a) => a.level)
        .sort(),
    );
    for (const n of coarse) expect(n.position).toEqual(demoTree('341300').nodes.get(n.code)!.anchor);
  });
});
