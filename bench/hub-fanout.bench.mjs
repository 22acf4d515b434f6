// Hub fan-out: gateways send a steady event stream to a real hub process while
// cockpit clients, each logged in as a user scoped to a different demo-city
// area (city, district, streets, communities, grids), receive their area's
// events. Measures gateway-send → client-receipt latency over all deliveries,
// deliveries per second and the hub's RSS, and checks on the way that no
// client receives an event outside its area and none misses one.
// Limit: a bare Socket.IO relay (bench/support/bare-relay.mjs: same messages,
// rooms and clients, no auth/validation/storage) driven the same way, in this run.
// Both run side by side and take turns under load, so background work on the machine falls on both.
//
// Sizes: BENCH_RATE (events/s in total, default 2000), BENCH_SECONDS (measured, 15),
// BENCH_WARMUP (seconds not measured, 2), BENCH_CLIENTS (50), BENCH_GATEWAYS (10),
// BENCH_TICK_MS (how often gateways produce, 20), BENCH_WINDOW (batches in flight per gateway, 2),
// BENCH_ROUNDS (hub and relay take turns this many times, 3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { wire } from '../contract/dist/index.js';
import { totpCode } from '../dashboard/dist/auth/totp.js';
import { hashSecret, hubServices, newSecret, openHubStore } from '../dashboard/dist/index.js';
import { benchDevices, METER_IDS, report } from './lib.mjs';
import {
  demoCity,
  eventSource,
  gridsOf,
  hubCli,
  percentile,
  root,
  rssMiB,
  rssSampler,
  sleep,
  startServer,
  stopServer,
} from './support/hub-bench.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 10);
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 20);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const areas = demoCity();
// The screens: the whole city, the district, every street and community, then grids spread over the city.
const step = areas.grid.length / Math.max(1, CLIENTS - 20);
const spreadGrids = areas.grid.filter((_, i) => Math.floor(i / step) !== Math.floor((i - 1) / step));
const scopes = [
  { area: areas.city[0], role: 'city_operator' },
  { area: areas.district[0], role: 'city_operator' },
  ...areas.street.map((area) => ({ area, role: 'street_leader' })),
  ...areas.community.map((area) => ({ area, role: 'community_worker' })),
  ...spreadGrids.map((area) => ({ area, role: 'grid_worker' })),
].slice(0, CLIENTS);
if (scopes.length < CLIENTS) throw new Error(`the demo city has areas for ${scopes.length} clients, not ${CLIENTS}`);

// Independent of the hub's own scope helper: a city code (…00) covers its first 4 digits.
const prefixOf = (area) => (area.length === 6 && area.endsWith('00') ? area.slice(0, 4) : area);
for (const s of scopes) s.prefix = prefixOf(s.area);
// How many clients should receive an event from each grid.
const fanOut = new Map(areas.grid.map((g) => [g, scopes.filter((s) => g.startsWith(s.prefix)).length]));
// Gateway i serves community i (mod 10) and reports from its grids.
const gwDefs = Array.from({ length: GATEWAYS }, (_, i) => {
  const community = areas.community[i % areas.community.length];
  return { id: `bench-gw-${String(i).padStart(2, '0')}`, community, grids: gridsOf(areas, community) };
});

const dir = mkdtempSync(join(tmpdir(), 'linli-hub-fanout-'));
const sockets = [];
let server = null;
let relayServer = null;

/** Connects the clients and gateways of one server (the hub or the relay); nothing is sent yet. */
async function connect(label, pid, url, clientAuth, gatewayToken) {
  const rssIdle = rssMiB(pid);
  // Clients first, so that every event sent has its full audience.
  const clients = await Promise.all(
    scopes.map(async (sc, i) => {
      const s = io(`${url}${wire.COCKPIT_NAMESPACE}`, {
        auth: clientAuth(sc, i),
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      await new Promise((res, rej) => {
        s.once('connect', res);
        s.once('connect_error', (e) => rej(new Error(`${label} client ${sc.area}: ${e.message}`)));
      });
      return { ...sc, socket: s };
    }),
  );
  const gws = await Promise.all(
    gwDefs.map(async (d) => {
      const s = io(`${url}${wire.GATEWAY_NAMESPACE}`, {
        auth: { gatewayId: d.id, token: gatewayToken(d.id), protocol: wire.PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      await new Promise((res, rej) => {
        s.once('connect', res);
        s.once('connect_error', (e) => rej(new Error(`${label} gateway ${d.id}: ${e.message}`)));
      });
      const hello = await s
        .timeout(30_000)
        .emitWithAck('hello', { devices: benchDevices(METER_IDS, d.grids), lastSeq: 0 });
      if (!hello.ok || hello.lastSeq !== 0) throw new Error(`${d.id}: unexpected hello ${JSON.stringify(hello)}`);
      return { ...d, socket: s, next: eventSource(d.id, d.grids), made: 0, inFlight: 0, pending: [] };
    }),
  );
  const st = {
    label,
    gws,
    rssIdle,
    rss: rssSampler(pid),
    rssDuring: 0,
    measuring: false,
    sentAt: new Map(),
    lat: [],
    lastReceipt: 0,
    measuredMs: 0,
    batches: 0,
    sent: 0,
    acked: 0,
    ackErrors: [],
    expected: 0,
    received: 0,
    violations: 0,
  };
  for (const c of clients)
    c.socket.on('events', (list) => {
      const t = performance.now();
      for (const e of list) {
        st.received++;
        if (!e.location.gridId.startsWith(c.prefix)) st.violations++;
        const s = st.sentAt.get(e.id);
        if (s !== undefined) {
          st.lat.push(t - s);
          st.lastReceipt = t;
        }
      }
    });
  return st;
}

/** A gateway sends what it has as soon as fewer than WINDOW batches are unacknowledged, like the real uplink. */
function pump(st, g) {
  while (g.inFlight < WINDOW && g.pending.length) {
    const events = g.pending.splice(0, wire.MAX_BATCH_EVENTS);
    const t = performance.now();
    for (const e of events) {
      if (st.measuring) st.sentAt.set(e.id, t);
      st.expected += fanOut.get(e.location.gridId);
    }
    st.sent += events.length;
    st.batches++;
    const lastSeq = events[events.length - 1].seq;
    g.inFlight++;
    g.socket
      .timeout(30_000)
      .emitWithAck('events', { events })
      .then(
        (r) => {
          if (r.ok && r.ackSeq === lastSeq) st.acked += events.length;
          else st.ackErrors.push(`${g.id} seq ${lastSeq}: ${JSON.stringify(r)}`);
        },
        (err) => st.ackErrors.push(`${g.id} seq ${lastSeq}: ${err.message}`),
      )
      .finally(() => {
        g.inFlight--;
        pump(st, g);
      });
  }
}

/**
 * One phase of load on one server: `lead` seconds unmeasured, then `seconds`
 * measured, then a drain until everything is acknowledged and delivered.
 */
async function phase(st, lead, seconds) {
  const t0 = performance.now();
  const from = t0 + lead * 1000;
  const to = from + seconds * 1000;
  const perGw = RATE / GATEWAYS;
  for (const g of st.gws) g.made = 0;
  // Devices produce on every tick; gateways start their ticks out of phase.
  const timers = st.gws.map((g, i) =>
    setTimeout(
      () => {
        g.timer = setInterval(() => {
          const now = performance.now();
          if (now >= to) return;
          st.measuring = now >= from;
          const owed = Math.floor((perGw * (now - t0)) / 1000) - g.made;
          const wall = Date.now();
          for (let k = 0; k < owed; k++) g.pending.push(g.next(wall));
          g.made += Math.max(0, owed);
          pump(st, g);
        }, TICK_MS);
      },
      (i * TICK_MS) / GATEWAYS,
    ),
  );
  const sent0 = st.sent;
  while (performance.now() < to) {
    await sleep(1000);
    const now = performance.now();
    if (now > from) st.rssDuring = Math.max(st.rssDuring, st.rss.last);
    process.stderr.write(
      `\r  ${st.label}: ${((now - t0) / 1000).toFixed(0)} s, sent ${st.sent - sent0} ` +
        `(${Math.round(((st.sent - sent0) * 1000) / (now - t0))}/s), deliveries ${st.received}/${st.expected}, ` +
        `RSS ${st.rss.last.toFixed(0)} MiB   `,
    );
  }
  for (const t of timers) clearTimeout(t);
  for (const g of st.gws) clearInterval(g.timer);
  st.measuring = false;
  // Drain: everything made is sent and acknowledged, everything expected delivered (or 30 s pass).
  const drainFrom = performance.now();
  while (
    (st.gws.some((g) => g.pending.length || g.inFlight) || st.received < st.expected) &&
    performance.now() - drainFrom < 30_000
  )
    await sleep(50);
  // Measured until the last measured event arrived, so a server that lags is not credited with the offered rate.
  st.measuredMs += Math.max(to, st.lastReceipt) - from;
  process.stderr.write('\n');
}

async function finish(st) {
  await sleep(500); // anything beyond the expected count (duplicates, strays) would arrive now
  st.rss.stop();
  const rssEnd = st.rss.last;
  process.stderr.write(
    `  ${st.label}: sent ${st.sent} in ${st.batches} batches, acked ${st.acked}, deliveries ${st.received}/${st.expected}, ` +
      `violations ${st.violations}, RSS idle ${st.rssIdle.toFixed(0)} MiB, peak ${st.rssDuring.toFixed(0)} MiB, end ${rssEnd.toFixed(0)} MiB\n`,
  );
  const lat = st.lat.sort((a, b) => a - b);
  return {
    ...st,
    p50: percentile(lat, 0.5),
    p99: percentile(lat, 0.99),
    deliveredPerSec: lat.length / (st.measuredMs / 1000),
    rssEnd,
  };
}

let failed = false;
try {
  // 1. Users and gateways, made with the hub's own services before it starts
  //    (what `linli-hub user add` / `gateway add` do, without 80 CLI processes).
  const hubData = join(dir, 'hub');
  const tokens = new Map();
  const accounts = [];
  {
    const store = await openHubStore({ dataDir: hubData });
    const { auth, auditLog } = hubServices(store, hubData);
    for (const [i, sc] of scopes.entries()) {
      const a = await auth.createAccount(
        {
          username: `bench-u${String(i).padStart(2, '0')}`,
          displayName: `压测屏${i}`,
          role: sc.role,
          areaCode: sc.area,
        },
        'bench',
        Date.now(),
      );
      accounts.push(a);
    }
    for (const d of gwDefs) {
      const token = newSecret();
      await store.upsertGateway(d.id, hashSecret(token), d.community);
      tokens.set(d.id, token);
    }
    // The accounts' audit entries are queued; write them before closing.
    await auditLog.flush();
    await store.close();
  }

  // 2. The hub: log in every user over its REST API (password, and TOTP where the role needs it), then drive it.
  process.stderr.write(
    `  ${scopes.length} clients, ${GATEWAYS} gateways, ${RATE} events/s for ${SECONDS} s on each server, in ${ROUNDS} rounds\n`,
  );
  let started = await startServer([hubCli, 'serve', '--data', hubData, '--port', '0']);
  server = started.child;
  const url = `http://127.0.0.1:${started.port}`;
  const sessions = await Promise.all(
    accounts.map(async (a) => {
      const res = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: a.user.username,
          password: a.password,
          ...(a.totpSecret ? { totp: totpCode(a.totpSecret, Date.now()) } : {}),
        }),
      });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`login ${a.user.username}: ${JSON.stringify(body)}`);
      return body.token;
    }),
  );
  const hubRun = await connect(
    'hub',
    server.pid,
    url,
    (_sc, i) => ({ key: sessions[i] }),
    (id) => tokens.get(id),
  );

  // 3. The bare relay, same clients (by area) and same gateways.
  started = await startServer([join(root, 'bench/support/bare-relay.mjs')]);
  relayServer = started.child;
  const relayRun = await connect(
    'relay',
    relayServer.pid,
    `http://127.0.0.1:${started.port}`,
    (sc) => ({ area: sc.area }),
    () => 'none',
  );

  // 4. Load in alternating rounds, so that the other work on this machine weighs on both alike.
  for (let r = 0; r < ROUNDS; r++)
    for (const st of [hubRun, relayRun]) await phase(st, r === 0 ? WARMUP : 0.5, SECONDS / ROUNDS);
  const hub = await finish(hubRun);
  const relay = await finish(relayRun);
  for (const s of sockets.splice(0)) s.disconnect();
  await stopServer(server);
  await stopServer(relayServer);

  for (const [name, r] of [
    ['hub', hub],
    ['relay', relay],
  ]) {
    if (r.violations || r.received !== r.expected || r.ackErrors.length || r.acked !== r.sent) {
      failed = true;
      console.error(
        `✗ ${name}: ${r.violations} out-of-area deliveries, ${r.received}/${r.expected} delivered, ` +
          `${r.acked}/${r.sent} acknowledged; ${r.ackErrors.slice(0, 3).join('; ')}`,
      );
    }
  }
  // Correctness, as figures against the number of deliveries checked (ratio = fraction wrong; must be 0).
  report('hub.fanout.scope_violations', hub.violations, 'deliveries', hub.received, 'deliveries checked');
  report(
    'hub.fanout.missed_deliveries',
    hub.expected - hub.received,
    'deliveries',
    hub.expected,
    'deliveries expected',
  );
  // Speed figures only from a run in which every event was acknowledged and delivered where it belonged.
  if (!failed) {
    const load = `${scopes.length} clients, ${GATEWAYS} gateways, ${RATE} events/s, ${SECONDS} s in ${ROUNDS} rounds`;
    const limit = `bare Socket.IO relay (no auth/validation/storage), same rooms and load (${load})`;
    report('hub.fanout.latency_p50_ms', hub.p50, 'ms', relay.p50, limit);
    report('hub.fanout.latency_p99_ms', hub.p99, 'ms', relay.p99, limit);
    report('hub.fanout.deliveries_per_second', hub.deliveredPerSec, 'deliveries/s', relay.deliveredPerSec, limit);
    const idle = `before the clients connected: hub ${hub.rssIdle.toFixed(0)} MiB, relay ${relay.rssIdle.toFixed(0)} MiB`;
    report('hub.fanout.rss_peak_mb', hub.rssDuring, 'MiB', relay.rssDuring, `${limit}; peak while sending; ${idle}`);
    report('hub.fanout.rss_end_mb', hub.rssEnd, 'MiB', relay.rssEnd, `${limit}; after the stream drained`);
  }
} finally {
  for (const s of sockets) s.disconnect();
  if (server) await stopServer(server);
  if (relayServer) await stopServer(relayServer);
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exit(1);
