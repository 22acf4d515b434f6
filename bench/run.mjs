// `npm run bench`: runs every bench/*.bench.mjs in its own process (so one
// benchmark's heap and caches do not colour the next) and collects their JSON
// lines into bench/results/latest.jsonl. Each line is
// {"name","value","unit","limit","limit_name","ratio"}, with the limit measured
// in the same run; the first line is {"meta":{…}}: date, commit, machine.
//
//   npm run bench                  every benchmark at full size
//   npm run bench -- replay        those whose file name contains "replay" (→ latest-replay.jsonl)
//   npm run bench -- --quick       every benchmark at a small size (→ latest-quick.jsonl): does each run to the end?
//   npm run bench -- --report      also writes docs/bench-report.html (a partial run: bench/results/*.html);
//                                  node bench/report.mjs --readme then regenerates README's tables
//
// A benchmark that exits non-zero, or exits without printing a figure, fails the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineMeta } from './support/meta.mjs';
import { writeHtmlReport } from './support/html-report.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
for (const f of flags)
  if (!['--quick', '--report'].includes(f)) throw new Error(`unknown option ${f} (known: --quick, --report)`);
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
const quick = flags.has('--quick');

/**
 * Small sizes for --quick: enough to run every code path of every benchmark,
 * not enough to mean anything. A size set in the environment wins.
 */
const QUICK_SIZES = {
  BENCH_EVENTS: '20000',
  BENCH_GATEWAYS: '40',
  BENCH_ROUNDS: '1',
  BENCH_SECONDS: '4',
  BENCH_WARMUP: '1',
  BENCH_POINTS: '20000',
  BENCH_HEAP_MINUTES: '1',
  LINLI_BENCH_REPLAY_N: '50000',
  LINLI_BENCH_MEMORY_N: '50000',
  LINLI_BENCH_MEMORY_SETTLE_MS: '5000',
  LINLI_BENCH_GRID_N: '200000',
  LINLI_BENCH_CITY_GRIDS: '2000',
  BENCH_CITY_EVENTS: '20000',
  BENCH_LINK_ROUNDS: '1',
};
const env = { ...process.env, ...(quick ? { ...QUICK_SIZES, ...process.env, LINLI_BENCH_QUICK: '1' } : {}) };

function isFigure(line) {
  try {
    const r = JSON.parse(line);
    return typeof r.name === 'string' && Number.isFinite(r.ratio);
  } catch {
    return false;
  }
}

/** Benchmarks whose limit is another benchmark's figure from the same run: they run after all the others. */
const READS_OTHERS = new Set(['grid-index.bench.mjs']);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort((a, b) => Number(READS_OTHERS.has(a)) - Number(READS_OTHERS.has(b)) || (a < b ? -1 : 1));
if (!files.length) throw new Error(`no benchmark matches "${only}"`);
const lines = [JSON.stringify({ meta: { ...machineMeta(), quick, only: only ?? null } })];
const failed = [];
mkdirSync(join(dir, 'results'), { recursive: true });
// This run's figures so far, for READS_OTHERS (BENCH_RUN_FIGURES).
const soFar = join(dir, 'results', `.run-${process.pid}.jsonl`);
process.on('exit', () => rmSync(soFar, { force: true }));
for (const f of files) {
  console.error(`▶ ${f}`);
  const readsOthers = READS_OTHERS.has(f);
  if (readsOthers) writeFileSync(soFar, `${lines.join('\n')}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: readsOthers ? { ...env, BENCH_RUN_FIGURES: soFar } : env,
  });
  // A figure is a JSON line with a name and a ratio; anything else a child printed (a log line) goes to stderr.
  const figures = [];
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    if (isFigure(line)) {
      console.log(line);
      figures.push(line);
      lines.push(line);
    } else console.error(`  [stdout] ${line}`);
  }
  if (r.status !== 0 || !figures.length) {
    const why = r.status !== 0 ? `exit ${r.status ?? r.signal}` : 'no figure printed';
    console.error(`✗ ${f} failed (${why})`);
    failed.push(`${f}: ${why}`);
    lines.push(JSON.stringify({ failed: f, reason: why }));
  }
}
// A filtered or quick run keeps its own file, so it never overwrites the figures of a full run.
const out = quick ? `latest-quick${only ? `-${only}` : ''}.jsonl` : only ? `latest-${only}.jsonl` : 'latest.jsonl';
writeFileSync(join(dir, 'results', out), `${lines.join('\n')}\n`);
console.error(`\n${lines.length - 1 - failed.length} figures → bench/results/${out}`);
if (flags.has('--report')) {
  // A full run's report is the one the README links; a partial run's stays beside its results.
  const target =
    out === 'latest.jsonl'
      ? join(dir, '..', 'docs', 'bench-report.html')
      : join(dir, 'results', out.replace('.jsonl', '.html'));
  const html = writeHtmlReport(join(dir, 'results', out), target);
  console.error(`report → ${html}`);
}
if (failed.length) {
  console.error(`\n${failed.length} benchmark(s) failed:\n  ${failed.join('\n  ')}`);
  process.exitCode = 1;
}
