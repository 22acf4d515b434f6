// Points per second that GridIndex assigns to their grid in a synthetic city of
// 10,000 grids, against a brute-force scan over every grid (scanGridAt, the same
// tie rule) in the same run, on fewer points so the scan ends in a few seconds.
// Second figure: the same rate against the hub's ingest rate (the gateway→hub
// replay rate measured earlier in the same `npm run bench`; run alone, the last full run's, else a stated 65,000 events/s).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../geo/dist/index.js';
import { gridsOf, GridIndex, scanGridAt } from '../geo/dist/index/grid-index.js';
import { syntheticCity } from '../geo/dist/index/synthetic-city.js';
import { report } from './lib.mjs';

const GRIDS = 10_000;
const N = Number(process.env.LINLI_BENCH_GRID_N ?? 2_000_000);
const N_SCAN = Number(process.env.LINLI_BENCH_GRID_SCAN_N ?? 4_000);

const grids = gridsOf(syntheticCity({ grids: GRIDS, seed: 2026 }));
const b0 = process.hrtime.bigint();
const index = new GridIndex(grids);
console.error(`  built the index of ${GRIDS} grids in ${(Number(process.hrtime.bigint() - b0) / 1e6).toFixed(1)} ms`);

// Uniform points over the city's bounding box grown by 5 % a side, so some fall outside every grid.
let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
for (const g of grids)
  for (const [x, y] of g.ring) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
const [mx, my] = [(x1 - x0) * 0.05, (y1 - y0) * 0.05];
const rnd = seededRandom(7);
const points = new Float64Array(2 * N);
for (let k = 0; k < N; k++) {
  points[2 * k] = x0 - mx + rnd() * (x1 - x0 + 2 * mx);
  points[2 * k + 1] = y0 - my + rnd() * (y1 - y0 + 2 * my);
}

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const out = new Int32Array(N);
index.assign(points.subarray(0, 200_000), out); // warm-up
global.gc?.();
let t0 = process.hrtime.bigint();
index.assign(points, out);
const rate = N / seconds(t0);
const outside = out.reduce((s, i) => s + (i < 0 ? 1 : 0), 0);
console.error(`  GridIndex: ${N} points, ${outside} outside every grid, ${Math.round(rate)} points/s`);

for (let k = 0; k < 200; k++) scanGridAt(grids, points[2 * k], points[2 * k + 1]); // warm-up
t0 = process.hrtime.bigint();
let mismatches = 0;
for (let k = 0; k < N_SCAN; k++) if (scanGridAt(grids, points[2 * k], points[2 * k + 1]) !== out[k]) mismatches++;
const scanRate = N_SCAN / seconds(t0);
console.error(`  brute-force scan: ${N_SCAN} points, ${Math.round(scanRate)} points/s, ${mismatches} disagreements`);
if (mismatches > 0) {
  console.error('✗ GridIndex disagrees with the brute-force scan');
  process.exit(1);
}

report(
  'geo.grid_index.points_per_second',
  rate,
  'points/s',
  scanRate,
  `brute-force scan over all ${GRIDS} grids (scanGridAt, same tie rule), ${N_SCAN} of the same points, same run`,
);

/** gateway.replay.events_per_second from a results file, if it holds one. */
function replayIn(file) {
  if (!file || !existsSync(file)) return undefined;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((r) => r.name === 'gateway.replay.events_per_second');
}
// Under `npm run bench` this runs after the replay benchmark (bench/run.mjs), whose figure is this run's.
const sameRun = replayIn(process.env.BENCH_RUN_FIGURES);
const earlier = sameRun ? undefined : replayIn(fileURLToPath(new URL('results/latest.jsonl', import.meta.url)));
const replay = sameRun ?? earlier;
report(
  'geo.grid_index.points_per_second_vs_hub_ingest',
  rate,
  'points/s',
  replay ? replay.value : 65_000,
  sameRun
    ? 'hub ingest: gateway→hub replay rate (gateway.replay.events_per_second), same run'
    : earlier
      ? 'hub ingest: gateway→hub replay rate (gateway.replay.events_per_second) of an earlier run, from bench/results/latest.jsonl (run alone)'
      : 'hub ingest: 65,000 events/s assumed (run alone, and no gateway.replay.events_per_second in bench/results/latest.jsonl)',
);
