// GET /api/heatmap over event roll-ups, on a real hub process over HTTP, with
// events spread over real device positions and grids:
//   - demo city: BENCH_HEATMAP_DEMO events (default 1,000,000) in the last 24 h
//     from 24 devices in each of its 58 grids;
//   - the 15,000-grid synthetic city (geo's syntheticCity): BENCH_HEATMAP_CITY
//     events (default 10,000,000) over 30 days, 1,000,000 of them in the last
//     24 h, from 3 devices per grid (45,000 devices).
// Windows are the ones the cockpit asks for (recentWindow: a day or longer in
// whole hours), plus the raw last 24 h (which reads a partial hour of events at
// each end). Limit of each figure: an index-only count of the same rows
// (count(*) over the events' (grid_id, received_at, …) index, the cheapest
// possible read of them), in the same run. The goals of issue 20 are 50 ms for
// 24 h over 1M events and 300 ms for 30 days over 10M. The data is built once
// into $LINLI_BENCH_CACHE (default <tmp>/linli-bench-cache) and reused.
// Every figure checks its answer: total = events in the window, and the number
// of heat cells against the devices' distinct cells, so a degenerate data set fails.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { EventScan } from '../dashboard/dist/api/routes/event-scan.js';
import { SETTLE_MS } from '../dashboard/dist/store/rollups/generations.js';
import { planWindow, windowPieces } from '../dashboard/dist/store/rollups/spans.js';
import { hubServices, openHubStore, SqliteDb } from '../dashboard/dist/index.js';
import { median, report } from './lib.mjs';
import { DAY, HOUR, heatmapData } from './support/heatmap-data.mjs';
import { hubCli, startServer, stopServer } from './support/hub-bench.mjs';

const DEMO_EVENTS = Number(process.env.BENCH_HEATMAP_DEMO ?? 1_000_000);
const CITY_EVENTS = Number(process.env.BENCH_HEATMAP_CITY ?? 10_000_000);
const RUNS = 7;

/** The cockpit's window for the last `length` ms (dashboard/web/src/recent-window.ts). */
const recentWindow = (length, now) =>
  length < DAY ? [now - length, now] : [Math.floor((now - length) / HOUR) * HOUR, Math.floor(now / HOUR) * HOUR + HOUR];

/** A fresh wall-display token for the data set's bench account. */
async function displayToken(dir) {
  const store = await openHubStore({ dataDir: dir });
  const { auth, auditLog } = hubServices(store, dir);
  try {
    return await auth.issueDisplaySession('bench-wall', 1, Date.now());
  } finally {
    await auditLog.flush();
    await store.close();
  }
}

async function heatmap(url, token, from, to, retry = true) {
  const t0 = performance.now();
  let res;
  try {
    res = await fetch(`${url}/api/heatmap?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
  } catch (err) {
    // A kept-alive connection the server closed while idle (the long index counts) fails once; a new one does not.
    if (retry && err.cause?.code === 'UND_ERR_SOCKET') return heatmap(url, token, from, to, false);
    throw err;
  }
  const body = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`/api/heatmap ${res.status} ${JSON.stringify(body)}`);
  // How the hub read it (api/routes/cockpit-routes.ts): buckets, those from its folds, folds still to make.
  const m = /buckets (\d+), folded (\d+), waiting (\d+)/.exec(res.headers.get('server-timing') ?? '');
  if (!m) throw new Error(`/api/heatmap: no server-timing header (${res.headers.get('server-timing')})`);
  const [buckets, folded, waiting] = m.slice(1).map(Number);
  return { ms, total: body.total, cells: body.weights.length, truncated: body.truncated, buckets, folded, waiting };
}

/**
 * Waits until the hub has folded every settled bucket the reads so far missed, as it has by the wall's next
 * refresh: asks for a millisecond's heat (no buckets, nothing to fold) until none is waiting.
 */
async function foldsMade(url, token, at) {
  for (let i = 0; i < 6000; i++) {
    if ((await heatmap(url, token, at, at + 1)).waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the hub never finished folding the settled buckets');
}

/** Index-only count of the rows a window holds, and how long it takes (median of `runs`). */
/** Where the hub's roll-ups are sealed to (store/rollups/seals.ts): its planner reads later buckets in shorter spans. */
function sealedOf(file) {
  const db = new Database(file, { readonly: true });
  try {
    const to = new Map(
      db
        .prepare('SELECT span_ms, sealed_to FROM rollup_sealed')
        .all()
        .map((r) => [r.span_ms, r.sealed_to]),
    );
    return { quarter: to.get(6 * HOUR), day: to.get(DAY), week: to.get(7 * DAY) };
  } finally {
    db.close();
  }
}

function indexCount(file, from, to, runs = RUNS) {
  const db = new Database(file, { readonly: true });
  try {
    const q = db.prepare(
      "SELECT count(*) AS n FROM events WHERE grid_id >= '3413' AND grid_id < '3414' AND received_at >= ? AND received_at < ?",
    );
    const times = [];
    let n = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      n = q.get(from, to).n;
      times.push(performance.now() - t0);
    }
    return { n, ms: median(times) };
  } finally {
    db.close();
  }
}

async function measure(data, label, figures) {
  const token = await displayToken(data.dir);
  const s = await startServer([hubCli, 'serve', '--data', data.dir, '--port', '0', '--retention-days', '3650']);
  try {
    const url = `http://127.0.0.1:${s.port}`;
    for (const f of figures) {
      const [from, to] = f.window(data.end);
      const count = indexCount(join(data.dir, 'hub.sqlite'), from, to);
      // The first read after the hub started folds the window's ended buckets (api/routes/folded-buckets.ts).
      const first = await heatmap(url, token, from, to);
      if (first.total !== count.n)
        throw new Error(`${label} ${f.name}: heatmap total ${first.total}, the events hold ${count.n}`);
      if (count.n < f.minEvents) throw new Error(`${label} ${f.name}: only ${count.n} events in the window`);
      // Nearly every device reports in the window (a few rare cameras may not in 24 h).
      if (first.truncated || first.cells > data.cells || first.cells < 0.99 * data.cells)
        throw new Error(`${label} ${f.name}: ${first.cells} heat cells, the devices sit in ${data.cells}`);
      // Buckets that have not settled are read from their rows on every read (the hub's clock against the data's).
      const pieces = windowPieces(planWindow(from, to, sealedOf(join(data.dir, 'hub.sqlite'))));
      const buckets = pieces.reduce((s, { ats }) => s + ats.length, 0);
      const open = pieces.reduce(
        (s, { span, ats }) => s + ats.filter((at) => at + span > Date.now() - SETTLE_MS).length,
        0,
      );
      await foldsMade(url, token, from);
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await heatmap(url, token, from, to);
        if (r.buckets !== buckets || r.folded < buckets - open)
          throw new Error(`${label} ${f.name}: ${r.folded} of ${r.buckets} buckets from folds, ${open} not settled`);
        times.push(r.ms);
      }
      // The wall's window moves by an hour every hour: the same length 1, 2, … hours earlier, each read once
      // when the hub has folded what the read before missed; it finds a few buckets the reads before did not
      // have (hours where a quarter was, and so on) and reads those from their rows.
      const moved = [];
      for (let h = 1; h <= RUNS; h++) {
        await foldsMade(url, token, from);
        const r = await heatmap(url, token, from - h * HOUR, to - h * HOUR);
        const expected = indexCount(join(data.dir, 'hub.sqlite'), from - h * HOUR, to - h * HOUR, 1).n;
        if (r.total !== expected)
          throw new Error(`${label} ${f.name} ${h} h earlier: heatmap total ${r.total}, the events hold ${expected}`);
        moved.push(r.ms);
      }
      // For context: the scan of the events this replaced, once, in this process.
      const scanDb = new SqliteDb(join(data.dir, 'hub.sqlite'));
      const s0 = performance.now();
      const scanned = await new EventScan(scanDb).heat('341300', from, to, null);
      const scanMs = performance.now() - s0;
      await scanDb.close();
      if (scanned.length !== first.cells) throw new Error(`${label} ${f.name}: the scan found ${scanned.length} cells`);
      process.stderr.write(
        `  ${label} ${f.name}: ${median(times).toFixed(1)} ms (first read ${first.ms.toFixed(1)} ms, moved by hours ${median(moved).toFixed(1)} ms), ${first.cells} cells, ${count.n} events, ${buckets - open} of ${buckets} buckets settled; index-only count ${count.ms.toFixed(1)} ms; the old scan ${scanMs.toFixed(0)} ms\n`,
      );
      report(
        `heatmap.${label}.${f.name}_ms`,
        median(times),
        'ms',
        count.ms,
        `index-only count of the same ${count.n} rows, same run (GET /api/heatmap median of ${RUNS} reads once the hub has folded what the first missed; ${first.cells} cells; ${buckets - open} of its ${buckets} roll-up buckets settled, the rest read from rows each time; goal ${f.goal} ms; the scan it replaces took ${scanMs.toFixed(0)} ms)`,
      );
      report(
        `heatmap.${label}.${f.name}_first_ms`,
        first.ms,
        'ms',
        count.ms,
        `index-only count of the same ${count.n} rows, same run (the first GET /api/heatmap after the hub started: every bucket read from its roll-up rows, the settled ones then folded)`,
      );
      report(
        `heatmap.${label}.${f.name}_moved_ms`,
        median(moved),
        'ms',
        count.ms,
        `index-only count of the ${count.n} rows of the unmoved window, same run (the window 1 to ${RUNS} hours earlier, each read once when the hub had folded what the one before missed: the wall's hourly refresh)`,
      );
    }
  } finally {
    await stopServer(s.child);
  }
}

// BENCH_HEATMAP_SETS=city runs one data set only (both by default).
const SETS = (process.env.BENCH_HEATMAP_SETS ?? 'demo,city').split(',');
if (SETS.includes('demo')) {
  const demo = await heatmapData({ city: 'demo', perGrid: 24, events: DEMO_EVENTS, lastDay: DEMO_EVENTS, days: 1 });
  await measure(demo, 'demo', [
    { name: '24h', window: (end) => recentWindow(DAY, end), minEvents: DEMO_EVENTS, goal: 50 },
    { name: '24h_unaligned', window: (end) => [end - DAY, end], minEvents: DEMO_EVENTS, goal: 50 },
  ]);
}
if (SETS.includes('city')) {
  const lastDay = Math.min(1_000_000, CITY_EVENTS);
  const city = await heatmapData({ city: 'synthetic', perGrid: 3, events: CITY_EVENTS, lastDay, days: 30 });
  await measure(city, 'city15k', [
    { name: '24h', window: (end) => recentWindow(DAY, end), minEvents: lastDay, goal: 50 },
    { name: '30d', window: (end) => recentWindow(30 * DAY, end), minEvents: CITY_EVENTS, goal: 300 },
  ]);
}
