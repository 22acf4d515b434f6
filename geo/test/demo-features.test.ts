import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildDemoFeatures,
  buildWalkGraph,
  computeCoverage,
  GridIndex,
  loadDemoCity,
  loadDemoFeatures,
  pointInRing,
  SERVICE_TYPES,
  serializeDemoFeatures,
} from '../src/index.js';

describe('demo features (streets, water, parks, facilities, households)', () => {
  const city = loadDemoCity();
  const f = loadDemoFeatures();
  const index = new GridIndex(city);

  it('is exactly what the generator makes from the seed (committed data is reproducible)', () => {
    const committed = readFileSync(new URL('../data/demo-features.json', import.meta.url), 'utf8');
    expect(serializeDemoFeatures(buildDemoFeatures(city, f.seed))).toBe(committed);
    expect(serializeDemoFeatures(buildDemoFeatures(city, f.seed + 1))).not.toBe(committed);
    expect(f.disclaimer).toMatch(/虚构/);
  });

  it('puts every home in the grid it names, by the grid index', () => {
    expect(f.households.length).toBeGreaterThan(1000);
    const misplaced = f.households.filter((h) => index.gridAt(h.position[0], h.position[1])?.code !== h.grid);
    expect(misplaced).toEqual([]);
    const codes = new Set(f.households.map((h) => h.id));
    expect(codes.size).toBe(f.households.length);
    for (const h of f.households) expect(h.code).toMatch(/^\d+-[12]-[1-6]0[12]$/);
    const lone = f.households.filter((h) => h.loneElder).length;
    expect(lone).toBeGreaterThan(0);
    expect(lone).toBeLessThan(f.households.length / 4);
  });

  it('has every service type, community facilities inside grids and no home under water', () => {
    expect(new Set(f.facilities.map((x) => x.type))).toEqual(new Set(SERVICE_TYPES));
    for (const x of f.facilities.filter((x) => x.type !== 'park'))
      expect(index.gridAt(x.position[0], x.position[1]), x.name).not.toBeNull();
    expect(f.facilities.some((x) => x.name.endsWith('养老服务站'))).toBe(true);
    expect(f.facilities.some((x) => x.name.endsWith('社区卫生服务站'))).toBe(true);
    expect(f.facilities.some((x) => x.name.endsWith('老年食堂'))).toBe(true);
    expect(f.water.map((w) => w.properties.kind)).toContain('river');
    expect(f.parks.length).toBeGreaterThanOrEqual(3);
    for (const area of [...f.water, ...f.parks])
      for (const h of f.households)
        expect(pointInRing(h.position[0], h.position[1], area.geometry.coordinates[0]!)).toBe(false);
  });

  it('joins all streets into one walk graph that coverage walks', () => {
    const graph = buildWalkGraph({ type: 'FeatureCollection', features: f.streets });
    expect(graph.skipped).toBe(0);
    // Breadth-first search from node 0 reaches every node: one connected network.
    const seen = new Uint8Array(graph.nodeCount);
    const queue = [0];
    seen[0] = 1;
    while (queue.length) {
      const k = queue.pop()!;
      for (let e = graph.offsets[k]!; e < graph.offsets[k + 1]!; e++) {
        const t = graph.targets[e]!;
        if (!seen[t]) {
          seen[t] = 1;
          queue.push(t);
        }
      }
    }
    expect(seen.reduce((a, b) => a + b, 0)).toBe(graph.nodeCount);
    expect(f.streets.every((s) => /[\u4e00-\u9fff]/.test(s.properties.name))).toBe(true);
    const result = computeCoverage(f.facilities, f.households, graph);
    expect(result.method).toBe('walk');
    expect(result.grids.reduce((a, g) => a + g.homes, 0)).toBe(f.households.length);
  });
});
