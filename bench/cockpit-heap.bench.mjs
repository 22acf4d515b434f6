// Cockpit wall, JS heap over a long run: the real cockpit bundle from a real
// hub, the wall view in headless Chromium (SwiftShader), while ten demo-city
// community gateways send 100 events/s in total over the real gateway socket
// (gate passes, meter readings, lift status, camera motion at random points of
// their grids, and one critical smoke alarm a minute, which raises an alert
// and a takeover). Heap = CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage
// (used JS heap after a full GC), sampled every 30 s; performance.memory's
// usedJSHeapSize (no GC) is sampled every 5 s for the un-collected peak.
// Limit: the heap at the start (after the event ring has filled), so the
// ratio end/start shows growth over the run.
//
// Sizes: BENCH_HEAP_MINUTES (10; 60 for the full hour), BENCH_RATE (events/s, 100).
// Functions passed to page.evaluate run in the browser.
/* global window */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { createIdFactory, wire } from '../contract/dist/index.js';
import { benchDevices, report } from './lib.mjs';
import { communityEvents, demoGrids, heapMiB, launchChromium, prepareHub } from './support/cockpit-bench.mjs';
import { hubCli, sleep, startServer, stopServer } from './support/hub-bench.mjs';

const MINUTES = Number(process.env.BENCH_HEAP_MINUTES ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const TICK_MS = 100;

const dir = mkdtempSync(join(tmpdir(), 'linli-cockpit-heap-'));
// Also on Ctrl-C (hub-bench.mjs exits from its signal handler, which skips `finally`).
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const sockets = [];
let server = null;
let browser = null;
let stream = null;

try {
  const grids = demoGrids();
  const communities = [...new Set(grids.map((g) => g.community))];
  const { displayToken, tokens } = await prepareHub(dir, communities);
  const started = await startServer([hubCli, 'serve', '--data', dir, '--port', '0', '--demo-city']);
  server = started.child;
  const url = `http://127.0.0.1:${started.port}`;

  const gws = await Promise.all(
    communities.map(async (c, i) => {
      const id = `gw-${c}`;
      const s = io(`${url}${wire.GATEWAY_NAMESPACE}`, {
        auth: { gatewayId: id, token: tokens.get(id), protocol: wire.PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      await new Promise((res, rej) => {
        s.once('connect', res);
        s.once('connect_error', (e) => rej(new Error(`${id}: ${e.message}`)));
      });
      // What communityEvents reports from (one of each per grid), and the smoke alarms below (one a minute).
      const own = grids.filter((g) => g.community === c).map((g) => g.code);
      const ids = own.flatMap((code) =>
        ['gate-01', 'meter-01', 'lift-01', 'cam-01'].map((d) => `${d}-${code.slice(-3)}`),
      );
      const smokes = Array.from({ length: 1000 }, (_, k) => `smoke-${k}`);
      const devices = [
        ...benchDevices(
          ids,
          own.flatMap((code) => [code, code, code, code]),
        ),
        ...benchDevices(smokes, own),
      ];
      const hello = await s.timeout(30_000).emitWithAck('hello', { devices, lastSeq: 0 });
      if (!hello.ok || hello.lastSeq !== 0) throw new Error(`${id}: unexpected hello ${JSON.stringify(hello)}`);
      return {
        id,
        socket: s,
        next: communityEvents(c, grids, 7000 + i),
        grids: grids.filter((g) => g.community === c),
      };
    }),
  );

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${url}/wall#key=${displayToken}`, { timeout: 300_000 });
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 300_000 });

  // The stream: RATE events/s spread over the gateways; one critical alarm a minute, from a gateway in turn.
  const alarmId = createIdFactory();
  let sent = 0;
  let acked = 0;
  const ackErrors = [];
  let made = 0;
  let alarms = 0;
  const t0 = Date.now();
  const send = (g, events) => {
    sent += events.length;
    g.socket
      .timeout(30_000)
      .emitWithAck('events', { events })
      .then(
        (r) => (r.ok ? (acked += events.length) : ackErrors.push(JSON.stringify(r))),
        (e) => ackErrors.push(e.message),
      );
  };
  stream = setInterval(() => {
    const now = Date.now();
    const owed = Math.floor(((now - t0) * RATE) / 1000) - made;
    made += owed;
    const per = new Map();
    for (let k = 0; k < owed; k++) {
      const g = gws[(made - owed + k) % gws.length];
      const e = g.next(now);
      (per.get(g) ?? per.set(g, []).get(g)).push(e);
    }
    if (Math.floor((now - t0) / 60_000) >= alarms) {
      const g = gws[alarms % gws.length];
      const e = g.next(now); // takes the gateway's next seq; its body is replaced by an alarm at the same place
      Object.assign(e, {
        id: alarmId(now),
        kind: 'smoke.alarm',
        severity: 'critical',
        deviceId: `smoke-${alarms}`,
        payload: { active: true },
      });
      (per.get(g) ?? per.set(g, []).get(g)).push(e);
      alarms++;
    }
    for (const [g, events] of per) send(g, events);
  }, TICK_MS);

  // Let the wall's event ring (2,000) fill before the start reading.
  await sleep(30_000);
  const start = await heapMiB(cdp);
  const samples = [start];
  let peakNoGc = 0;
  const until = Date.now() + MINUTES * 60_000;
  let lastGc = Date.now();
  while (Date.now() < until) {
    await sleep(5_000);
    peakNoGc = Math.max(peakNoGc, await page.evaluate(() => performance.memory.usedJSHeapSize / 1024 / 1024));
    if (Date.now() - lastGc >= 30_000) {
      lastGc = Date.now();
      samples.push(await heapMiB(cdp));
      const st = await page.evaluate(() => ({
        received: window.linli.state.eventsReceived,
        ready: window.linli.state.ready,
        link: window.linli.state.link,
      }));
      process.stderr.write(
        `\r  ${((Date.now() - t0) / 60_000).toFixed(1)} min: sent ${sent}, acked ${acked}, wall received ${st.received} (${st.link}), ` +
          `heap ${samples.at(-1).toFixed(1)} MiB (start ${start.toFixed(1)})   `,
      );
    }
  }
  clearInterval(stream);
  await sleep(2_000);
  const end = await heapMiB(cdp);
  samples.push(end);
  const st = await page.evaluate(() => ({
    received: window.linli.state.eventsReceived,
    alerts: Object.keys(window.linli.state.alerts).length,
    ready: window.linli.state.ready,
  }));
  process.stderr.write(
    `\n  sent ${sent} events (${alarms} alarms), acked ${acked}, wall received ${st.received}, holds ${st.alerts} alerts; ` +
      `heap start ${start.toFixed(1)} MiB, end ${end.toFixed(1)} MiB, peak (GC'd) ${Math.max(...samples).toFixed(1)} MiB, ` +
      `peak (performance.memory, no GC) ${peakNoGc.toFixed(1)} MiB\n`,
  );
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  if (ackErrors.length || acked !== sent) throw new Error(`${acked}/${sent} acknowledged: ${ackErrors.slice(0, 3)}`);
  // The wall received the stream (the hub fans out what it stored; the ring dedups by id).
  if (st.received < sent * 0.99) throw new Error(`the wall received ${st.received} of ${sent} events`);

  const what = `wall view 1920×1080, ${RATE} events/s from ${gws.length} gateways for ${MINUTES} min, ${alarms} critical alarms`;
  const limit = `JS heap after GC at the start (ring filled), same page (${what})`;
  report('cockpit.wall.heap_end_mb', end, 'MiB', start, limit);
  report('cockpit.wall.heap_peak_mb', Math.max(...samples), 'MiB', start, `${limit}; GC'd samples every 30 s`);
  report(
    'cockpit.wall.heap_peak_nogc_mb',
    peakNoGc,
    'MiB',
    start,
    `${limit}; performance.memory.usedJSHeapSize every 5 s, not collected`,
  );
} finally {
  if (stream) clearInterval(stream);
  for (const s of sockets) s.disconnect();
  await browser?.close();
  if (server) await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
