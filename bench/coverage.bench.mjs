// Time to compute 15-minute walking coverage (five service types, per grid, with
// gaps and their hulls) along a street graph, for the demo city and for a
// synthetic city of 1,000 grids and 100,000 homes. Limit: the straight-line
// fallback (haversine × 1.3) on the same facilities and homes, in the same run.
// Facilities, homes and streets (a jittered lattice of LineStrings) are made up
// from fixed seeds; the graph is built once, outside the timing, like a city's streets.
// Third figure: a CoverageCalculator recomputing after one facility moved (homes
// already snapped, the other lists cached), against the fallback's calculator.
import { loadDemoCity } from '../geo/dist/index.js';
import { computeCoverage, CoverageCalculator } from '../geo/dist/coverage/coverage.js';
import { gridsBounds, latticeStreets, syntheticFacilities, syntheticHomes } from '../geo/dist/coverage/synthetic.js';
import { buildWalkGraph } from '../geo/dist/coverage/walk-graph.js';
import { gridsOf } from '../geo/dist/index/grid-index.js';
import { syntheticCity } from '../geo/dist/index/synthetic-city.js';
import { report } from './lib.mjs';

const ROUNDS = 5;

/** Median wall time in ms of `ROUNDS` runs after one warm-up, and the last result. */
function time(fn) {
  let result = fn(-1);
  const ms = [];
  for (let i = 0; i < ROUNDS; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    result = fn(i);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: ms.sort((a, b) => a - b)[ROUNDS >> 1], result };
}

function bench(name, label, grids, homeCount, streetSpacing) {
  const t0 = process.hrtime.bigint();
  const streets = latticeStreets(gridsBounds(grids, 300), streetSpacing, 11);
  const graph = buildWalkGraph(streets);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const facilities = syntheticFacilities(grids, 12);
  const homes = syntheticHomes(grids, homeCount, 13);
  // computeCoverage keeps no cache between calls: every round computes from scratch.
  const walk = time(() => computeCoverage(facilities, homes, graph));
  const line = time(() => computeCoverage(facilities, homes, null));
  const share = (r, type) => r.grids.reduce((s, g) => s + g.byType[type].covered, 0) / homes.length;
  console.error(
    `  ${label}: ${grids.length} grids, ${homes.length} homes, ${facilities.length} facilities; ` +
      `graph ${graph.nodeCount} nodes built in ${buildMs.toFixed(0)} ms; ` +
      `clinic coverage walk ${(share(walk.result, 'clinic') * 100).toFixed(1)} % vs straight line ` +
      `${(share(line.result, 'clinic') * 100).toFixed(1)} %; ${walk.result.gaps.length} gaps`,
  );
  report(
    name,
    walk.ms,
    'ms',
    line.ms,
    `straight-line fallback (haversine × 1.3) on the same ${homes.length} homes and ${facilities.length} facilities, same run (median of ${ROUNDS})`,
  );
  return { graph, facilities, homes };
}

/** Facilities with the i-th one moved 50 m north: a new list, so a cache miss for its reach. */
const moved = (facilities, i) =>
  facilities.map((f, k) => (k === i + 1 ? { ...f, position: [f.position[0], f.position[1] + 0.00045] } : f));

const demo = gridsOf(loadDemoCity());
bench('geo.coverage.demo_city_ms', 'demo city', demo, 30_000, 120);
const synthetic = gridsOf(syntheticCity({ grids: 1000, seed: 2026 }));
const { graph, facilities, homes } = bench(
  'geo.coverage.synthetic_1000_grids_100k_homes_ms',
  'synthetic city',
  synthetic,
  100_000,
  100,
);
const byWalk = new CoverageCalculator(graph);
const byLine = new CoverageCalculator(null);
const walkAgain = time((i) => byWalk.compute(moved(facilities, i), homes));
const lineAgain = time((i) => byLine.compute(moved(facilities, i), homes));
console.error(
  `  calculator stats: walk ${JSON.stringify(byWalk.stats)}, straight line ${JSON.stringify(byLine.stats)}`,
);
report(
  'geo.coverage.synthetic_recompute_one_facility_moved_ms',
  walkAgain.ms,
  'ms',
  lineAgain.ms,
  `straight-line CoverageCalculator recomputing the same moved-facility lists on the same ${homes.length} homes, same run (median of ${ROUNDS})`,
);
