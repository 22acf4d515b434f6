// Cockpit frame time: 200,000 alert points replaced at 1 Hz, drawn by the
// cockpit's own alertsLayer (dashboard/web/src/layers/cockpit-layers.ts)
// inside MapLibre like the cockpit's Stage, in headless Chromium with SwiftShader.
// Frame time = requestAnimationFrame deltas while the map repaints every frame.
//
// Why a harness page and not the wall itself: the cockpit cannot hold 200k
// points. Its Live store keeps at most 3,000 alerts and 2,000 events (wall
// displays run for weeks with bounded memory), and window.linli exposes no
// way to hand layers to the stage except built layers. So the bench builds a
// small page (bench/support/frame-harness, bundled with vite's JS API into a
// temp dir, served from loopback) that imports the cockpit's layer module.
//
// SwiftShader draws on the CPU: at 200k points a frame takes seconds on a
// small machine, so a run sees few frames; the frame counts are in the report.
// The frame still being drawn when the window closes counts as one frame of
// the time it took so far (a lower bound).
//
// Modes, taking turns in the same run (BENCH_MODES to choose; bare is required):
//   cockpit      alertsLayer rebuilt every 150 ms with `now` (the wall's redraw loop: pulsing alerts)
//   cockpit-1hz  alertsLayer rebuilt only when the data changes
//   bare         deck.gl's ScatterplotLayer, constant colour and radius (the limit)
//
// Sizes: BENCH_POINTS (200000), BENCH_SECONDS (measured per mode per round, 30),
// BENCH_WARMUP (s, 5), BENCH_ROUNDS (2), BENCH_VIEWPORT (1280x720).
// Functions passed to page.evaluate run in the browser.
/* global window */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { report } from './lib.mjs';
import { demoGrids, launchChromium } from './support/cockpit-bench.mjs';
import { percentile, root, sleep } from './support/hub-bench.mjs';

const POINTS = Number(process.env.BENCH_POINTS ?? 200_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const [W, H] = (process.env.BENCH_VIEWPORT ?? '1280x720').split('x').map(Number);
const MODES = (process.env.BENCH_MODES ?? 'cockpit,cockpit-1hz,bare').split(',');
if (!MODES.includes('bare')) throw new Error('BENCH_MODES must include bare (the limit)');

const dir = mkdtempSync(join(tmpdir(), 'linli-frame-time-'));
// Also on Ctrl-C (hub-bench.mjs exits from its signal handler, which skips `finally`).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let server = null;
let browser = null;

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
function serve(out) {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      const file = join(out, path === '/' ? 'index.html' : path);
      if (!file.startsWith(out) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

/** One mode on a fresh page: warm up, then record rAF deltas for SECONDS. */
async function measure(url, mode, boxes, bounds) {
  const page = await browser.newPage({ viewport: { width: W, height: H } });
  try {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.evaluate((o) => window.harness.start(o), { mode, n: POINTS, boxes, bounds });
    await page.waitForFunction(() => window.harness.ready, null, { timeout: 300_000 });
    await sleep(WARMUP * 1000);
    const u0 = await page.evaluate(() => {
      window.harness.frames.length = 0;
      return { updates: window.harness.updates, busy: window.harness.busy, at: performance.now() };
    });
    await sleep(SECONDS * 1000);
    // The frame still being drawn counts with the time it has taken so far (a lower bound): a page that
    // draws one frame in the whole window must not report only its one finished frame.
    const r = await page.evaluate(() => ({
      frames: window.harness.frames.slice(),
      open: performance.now() - window.harness.lastFrameAt,
      updates: window.harness.updates,
      busy: window.harness.busy,
      at: performance.now(),
    }));
    if (errors.length) throw new Error(`${mode}: page errors: ${errors.join('; ')}`);
    return {
      frames: [...r.frames, r.open],
      updates: r.updates - u0.updates,
      busyPerS: ((r.busy - u0.busy) * 1000) / (r.at - u0.at),
    };
  } finally {
    await page.close();
  }
}

try {
  const out = join(dir, 'out');
  await build({
    root: join(root, 'bench/support/frame-harness'),
    base: '/',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 5000, sourcemap: false },
  });
  server = await serve(out);
  const url = `http://127.0.0.1:${server.address().port}/`;

  const grids = demoGrids();
  const boxes = grids.map((g) => g.box);
  const bounds = [
    [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))],
    [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))],
  ];
  browser = await launchChromium();
  const frames = Object.fromEntries(MODES.map((m) => [m, []]));
  const busy = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++)
    for (const mode of MODES) {
      const { frames: f, updates, busyPerS } = await measure(url, mode, boxes, bounds);
      frames[mode].push(...f);
      busy[mode].push(busyPerS);
      const s = [...f].sort((a, b) => a - b);
      process.stderr.write(
        `  round ${r + 1} ${mode}: ${f.length} frames, ${updates} data updates, main thread busy ${busyPerS.toFixed(0)} ms/s, p50 ${percentile(s, 0.5).toFixed(1)} ms, p95 ${percentile(s, 0.95).toFixed(1)} ms\n`,
      );
    }
  const stats = Object.fromEntries(
    MODES.map((m) => {
      const s = frames[m].sort((a, b) => a - b);
      const b = busy[m].reduce((x, y) => x + y, 0) / busy[m].length;
      return [m, { p50: percentile(s, 0.5), p95: percentile(s, 0.95), n: s.length, busy: b }];
    }),
  );
  const what = `${POINTS} alert points replaced at 1 Hz, MapLibre + interleaved deck.gl, SwiftShader ${W}×${H}, ${ROUNDS}×${SECONDS} s per mode`;
  const bare = `deck.gl bare ScatterplotLayer (constant colour/radius), same data, same run (${what}; ${stats.bare.n} frames)`;
  for (const [name, mode] of [
    ['cockpit.frame_ms', 'cockpit'],
    ['cockpit.frame_1hz_ms', 'cockpit-1hz'],
  ]) {
    if (!stats[mode]) continue;
    report(`${name}_p50`, stats[mode].p50, 'ms', stats.bare.p50, `${bare}; ${mode}: ${stats[mode].n} frames`);
    report(`${name}_p95`, stats[mode].p95, 'ms', stats.bare.p95, `${bare}; ${mode}: ${stats[mode].n} frames`);
    // Floor the limit at 1 ms/s: the bare layer may have no long task at all.
    report(
      `${name.replace('frame', 'main_thread_busy')}_per_s`,
      stats[mode].busy,
      'ms/s',
      Math.max(1, stats.bare.busy),
      `${bare}; main-thread time in long tasks (> 50 ms) per second, mean over rounds (bare ${stats.bare.busy.toFixed(1)} ms/s)`,
    );
  }
} finally {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
}
