// Cockpit wall, time to first meaningful render: the real cockpit bundle
// served by a real hub, opened in headless Chromium (SwiftShader) with a
// wall-display link, with 1,000,000 historical events of the demo city in the
// heatmap's 24-hour window. "Rendered" is the page's own readiness signal
// (shell.ts markReadyWhenDrawn: areas, heatmap, alerts and KPIs loaded, style
// and visible tiles loaded, a frame drawn), timed from navigation start in the page.
// Limit: the same page on a second hub whose event table is empty, in the same
// run, rounds alternating. The /api/heatmap response time (what the 1M events
// cost the hub) is reported separately, against the empty hub's.
//
// Sizes: BENCH_EVENTS (default 1,000,000), BENCH_ROUNDS (page loads per hub, 3).
// Functions passed to page.evaluate run in the browser.
/* global window */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { median, report } from './lib.mjs';
import { demoGrids, insertHistory, launchChromium, prepareHub } from './support/cockpit-bench.mjs';
import { hubCli, startServer, stopServer } from './support/hub-bench.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HOUR = 3_600_000;

const dir = mkdtempSync(join(tmpdir(), 'linli-cockpit-render-'));
// Also on Ctrl-C (hub-bench.mjs exits from its signal handler, which skips `finally`).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const servers = [];
let browser = null;

// Records, in the page, when the cockpit first sets state.ready = true (ms since navigation start).
function recordReady() {
  let holder;
  Object.defineProperty(window, 'linli', {
    configurable: true,
    get: () => holder,
    set(v) {
      holder = v;
      let ready = v.state.ready;
      Object.defineProperty(v.state, 'ready', {
        enumerable: true,
        get: () => ready,
        set(r) {
          if (r && !ready) window.__readyAt = performance.now();
          ready = r;
        },
      });
    },
  });
}

async function openOnce(hub) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(recordReady);
    await page.goto(`${hub.url}/wall#key=${hub.displayToken}`, { timeout: 300_000 });
    await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 300_000, polling: 100 });
    const r = await page.evaluate(() => ({ at: window.__readyAt, heatCells: window.linli.state.heatCells }));
    if (errors.length) throw new Error(`${hub.label}: page errors: ${errors.join('; ')}`);
    return r;
  } finally {
    await context.close();
  }
}

async function heatmapMs(hub) {
  const now = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${hub.url}/api/heatmap?from=${now - 24 * HOUR}&to=${now}`, {
    headers: { authorization: `Bearer ${hub.displayToken}` },
  });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${hub.label}: /api/heatmap ${res.status} ${JSON.stringify(body)}`);
  return { ms, total: body.total, cells: body.weights.length };
}

try {
  const grids = demoGrids();
  const communities = [...new Set(grids.map((g) => g.community))];
  const hubs = [];
  let history = null;
  for (const label of ['empty', 'full']) {
    const data = join(dir, label);
    mkdirSync(data, { recursive: true });
    const { displayToken } = await prepareHub(data, communities);
    if (label === 'full') {
      const t0 = performance.now();
      const now = Date.now();
      // The last 23 hours, so every event is inside the wall's 24-hour heatmap window while the benchmark runs.
      history = await insertHistory(join(data, 'hub.sqlite'), grids, EVENTS, now - 23 * HOUR, now - 60_000);
      process.stderr.write(
        `  wrote ${EVENTS} events over ${history.grids} grids in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
      // Events spread over the whole city, or the figure is of a degenerate case (issue 20: all in 1 cell).
      if (history.grids !== grids.length)
        throw new Error(`the history covers ${history.grids} of the city's ${grids.length} grids`);
    }
    const s = await startServer([hubCli, 'serve', '--data', data, '--port', '0', '--demo-city']);
    servers.push(s.child);
    hubs.push({ label, url: `http://127.0.0.1:${s.port}`, displayToken, render: [], heat: [] });
  }
  const [empty, full] = hubs;

  // How the key travels: check once that the API accepts it as a bearer token.
  const probe = await heatmapMs(full);
  if (probe.total !== EVENTS) throw new Error(`the heatmap counted ${probe.total} events, expected ${EVENTS}`);
  // Every distinct ~110 m cell of the history is one heat cell, no more, no fewer.
  if (probe.cells !== history.cells)
    throw new Error(`the heatmap has ${probe.cells} cells; the history's positions fall in ${history.cells}`);
  process.stderr.write(`  heatmap: ${probe.cells} cells for ${probe.total} events\n`);

  browser = await launchChromium();
  await openOnce(empty); // warms Chromium and the OS file cache for the bundle; not measured
  for (let r = 0; r < ROUNDS; r++)
    for (const hub of [empty, full]) {
      const x = await openOnce(hub);
      if (hub === full ? x.heatCells !== probe.cells : x.heatCells !== 0)
        throw new Error(`${hub.label}: the wall drew ${x.heatCells} heat cells`);
      hub.render.push(x.at);
      process.stderr.write(`  ${hub.label}: ready after ${x.at.toFixed(0)} ms (${x.heatCells} heat cells)\n`);
    }
  for (let r = 0; r < 5; r++) for (const hub of [empty, full]) hub.heat.push((await heatmapMs(hub)).ms);
  // For context: reading the same rows through the (grid_id, received_at) index alone, without the per-row JSON.
  const db = new Database(join(dir, 'full', 'hub.sqlite'), { readonly: true });
  const t0 = performance.now();
  const now = Date.now();
  db.prepare(
    "SELECT count(*) AS n FROM events WHERE grid_id >= '3413' AND grid_id < '3413:' AND received_at >= ? AND received_at < ?",
  ).get(now - 24 * HOUR, now);
  const indexOnlyMs = performance.now() - t0;
  db.close();

  const what = `wall view 1920×1080, demo city, ${ROUNDS} loads per hub (median)`;
  report(
    'cockpit.wall.first_render_ms',
    median(full.render),
    'ms',
    median(empty.render),
    `same wall page, same run, empty event table (${what}; ${EVENTS} events in the 24 h window over ${history.grids} grids fold into ${probe.cells} cells)`,
  );
  report(
    'cockpit.heatmap.response_ms',
    median(full.heat),
    'ms',
    median(empty.heat),
    `GET /api/heatmap over 24 h on an empty event table, same run (median of 5; ${EVENTS} events, ${probe.cells} cells; ` +
      `an index-only count of the same rows takes ${indexOnlyMs.toFixed(0)} ms)`,
  );
} finally {
  await browser?.close();
  for (const c of servers) await stopServer(c);
  rmSync(dir, { recursive: true, force: true });
}
