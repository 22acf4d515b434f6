import { seededRandom } from '../demo-city.js';
import type { Area, AreaTree } from '../types.js';
import { boxOf, grow } from './geometry.js';
import { buildFacilities, buildHouseholds } from './places.js';
import { buildGreenAndLake, buildRiver } from './scenery.js';
import { buildStreets } from './streets.js';
import type { DemoFeatures } from './types.js';

/** Seed of the committed demo features (geo/data/demo-features.json). */
export const DEMO_FEATURES_SEED = 20261124;

/**
 * Builds the demo city's streets, water, parks, facilities and households
 * around the given area tree, from a seed: same tree and seed, same output.
 */
export function buildDemoFeatures(tree: AreaTree, seed = DEMO_FEATURES_SEED): DemoFeatures {
  const rnd = seededRandom(seed);
  const communities = tree.areas.filter((a) => a.level === 'community' && a.ring);
  const byParent = new Map<string, Area[]>();
  for (const a of tree.areas)
    if (a.level === 'grid' && a.ring && a.parent) byParent.set(a.parent, [...(byParent.get(a.parent) ?? []), a]);
  const gridsOf = (code: string) => byParent.get(code) ?? [];
  const boxes = communities.map((c) => boxOf(c.ring!));
  const all = boxes.reduce((a, b) => ({
    w: Math.min(a.w, b.w),
    s: Math.min(a.s, b.s),
    e: Math.max(a.e, b.e),
    n: Math.max(a.n, b.n),
  }));
  const extent = grow(all, 0.004);
  const river = buildRiver(boxes, extent, rnd);
  const taken = [...boxes, boxOf(river.geometry.coordinates[0]!)];
  const { parks, lake } = buildGreenAndLake(taken, extent, rnd);
  return {
    disclaimer:
      '示意数据：道路、水系、公园、设施与住户均为演示而虚构。Illustrative data: streets, water, parks, facilities and households are made up.',
    seed,
    streets: buildStreets(communities, gridsOf, extent),
    water: lake ? [river, lake] : [river],
    parks,
    facilities: buildFacilities(communities, gridsOf, parks, rnd),
    households: buildHouseholds(communities, gridsOf, rnd),
  };
}

/** The committed file's text: one feature per line, so the file stays small and diffs stay readable. */
export function serializeDemoFeatures(f: DemoFeatures): string {
  const list = (items: readonly unknown[]) => `[\n${items.map((i) => `  ${JSON.stringify(i)}`).join(',\n')}\n ]`;
  return [
    '{',
    ` "disclaimer": ${JSON.stringify(f.disclaimer)},`,
    ` "seed": ${f.seed},`,
    ` "streets": ${list(f.streets)},`,
    ` "water": ${list(f.water)},`,
    ` "parks": ${list(f.parks)},`,
    ` "facilities": ${list(f.facilities)},`,
    ` "households": ${list(f.households)}`,
    '}',
    '',
  ].join('\n');
}
