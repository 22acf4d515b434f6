import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AreaIndex, buildDemoCity, loadDemoCity, PILOT_COMMUNITIES, pointInRing, ringCentroid } from '../src/index.js';

describe('demo city', () => {
  const city = loadDemoCity();
  const index = new AreaIndex(city);

  it('is exactly what the generator makes from the seed (committed data is reproducible)', () => {
    const committed = readFileSync(new URL('../data/demo-city.json', import.meta.url), 'utf8');
    expect(`${JSON.stringify(buildDemoCity(city.seed), null, 1)}\n`).toBe(committed);
  });

  it('has the ten pilot communities with their Chinese names under their streets', () => {
    const communities = city.areas.filter((a) => a.level === 'community');
    expect(communities.map((c) => c.name).sort()).toEqual(PILOT_COMMUNITIES.map((c) => c.name).sort());
    for (const c of communities) {
      expect(index.ancestry(c.code).map((a) => a.level)).toEqual(['city', 'district', 'street', 'community']);
      expect(index.ancestry(c.code)[1]?.name).toBe('埇桥区');
    }
    expect(city.disclaimer).toMatch(/示意/);
  });

  it('cuts each community into 4–9 grids that lie inside it, coded community + 3 digits', () => {
    for (const c of city.areas.filter((a) => a.level === 'community')) {
      const grids = index.children(c.code);
      expect(grids.length).toBeGreaterThanOrEqual(4);
      expect(grids.length).toBeLessThanOrEqual(9);
      for (const g of grids) {
        expect(g.code).toMatch(new RegExp(`^${c.code}\\d{3}$`));
        const [x, y] = ringCentroid(g.ring!);
        expect(pointInRing(x, y, c.ring!)).toBe(true);
        expect(index.gridAt(x, y)?.code).toBe(g.code);
      }
    }
  });

  it('finds no grid for a point outside every community', () => {
    expect(index.gridAt(116.5, 33.2)).toBeNull();
  });
});
