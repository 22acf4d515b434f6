// Hub cluster: 500 simulated gateways (support/load-gen.mjs, a compound's day
// compressed 60×) against PostgreSQL-backed hub processes, first one node,
// then two nodes sharing one fresh database and Redis (gateways split between
// them as a load balancer would). A cockpit client on the last node measures
// how long an event takes from its receivedAt to arriving on a wall display.
// The load generator creates each flush's events at the flush, so receivedAt is
// the send time: the figure is hub ingest + fan-out (with two nodes, half the
// events cross Redis to reach it), not the gateway's buffering.
//
// Reports events/s acknowledged and cockpit p99 for each size, and the scaling
// ratio two/one. If the hub refuses PostgreSQL ("this service still needs
// SQLite"), runs one SQLite node instead and says so.
//
// Sizes: BENCH_SECONDS (20), BENCH_GATEWAYS (500), BENCH_COMPRESS (60), BENCH_PROCS (2 load-gen processes).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { wire } from '../contract/dist/index.js';
import { report } from './lib.mjs';
import { enrollGateways, runLoad } from './support/load-gen.mjs';
import { hubCli, percentile, startServer, stopServer } from './support/hub-bench.mjs';
import { freshDatabase } from './support/pg-bench.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 500);
const COMPRESS = Number(process.env.BENCH_COMPRESS ?? 60);
const PROCS = Number(process.env.BENCH_PROCS ?? 2);
const REDIS = process.env.BENCH_REDIS ?? 'redis://127.0.0.1:6379';

/** One measured run against `nodes` hub processes on a fresh database. */
async function run(nodes, usePg) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-hub-cluster-'));
  const db = usePg ? await freshDatabase() : null;
  const hubs = [];
  const cockpit = { socket: null };
  try {
    const dbArgs = db ? ['--database', db.url] : [];
    const cli = (...a) =>
      execFileSync(process.execPath, [hubCli, ...a, '--data', dir, ...dbArgs], { encoding: 'utf8' });
    // Migrations and the enrolled fleet before any node starts; every node shares the data folder (its key file).
    const gateways = await enrollGateways({ dataDir: dir, ...(db ? { database: db.url } : {}) }, GATEWAYS);
    cli('user', 'add', '--username', 'wall', '--role', 'city_operator', '--area', '341300');
    const token = cli('display-token', '--username', 'wall').trim();
    for (let i = 0; i < nodes; i++) {
      const cluster = db ? ['--redis', REDIS, '--node-id', `node-${i}`] : [];
      hubs.push(await startServer([hubCli, 'serve', '--data', dir, ...dbArgs, ...cluster, '--port', '0']));
    }
    const urls = hubs.map((h) => `http://127.0.0.1:${h.port}`);

    // The wall display, on the last node: latencies of events that arrive inside the window.
    const lat = [];
    let open = false;
    cockpit.socket = io(`${urls.at(-1)}${wire.COCKPIT_NAMESPACE}`, {
      auth: { key: token },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise((res, rej) => {
      cockpit.socket.once('connect', res);
      cockpit.socket.once('connect_error', rej);
    });
    cockpit.socket.on('events', (list) => {
      if (!open) return;
      const now = Date.now();
      for (const e of list) lat.push(now - e.receivedAt);
    });

    process.stderr.write(`  ${nodes} node(s) on ${db ? db.name : 'SQLite'}: ${GATEWAYS} gateways, ${SECONDS} s\n`);
    const load = await runLoad({
      urls,
      gateways,
      seconds: SECONDS,
      compress: COMPRESS,
      procs: PROCS,
      onStart: () => (open = true),
    });
    open = false;
    lat.sort((a, b) => a - b);
    const out = { ...load, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), seen: lat.length };
    process.stderr.write(`  ${JSON.stringify(out)}\n`);
    return out;
  } finally {
    cockpit.socket?.disconnect();
    for (const h of hubs) await stopServer(h.child);
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const what = `${GATEWAYS} gateways (compound day ×${COMPRESS}), ${SECONDS} s`;
let one;
try {
  one = await run(1, true);
} catch (err) {
  if (!/still needs SQLite|before it was ready/.test(String(err.message))) throw err;
  // The hub printed why on stderr (e.g. "this service still needs SQLite"): measure what runs.
  process.stderr.write('  the hub did not start on PostgreSQL; one SQLite node instead (no cluster figures)\n');
  const s = await run(1, false);
  report(
    'hub.cluster.sqlite_one_node.events_per_second',
    s.eventsPerSecond,
    'events/s',
    s.offered / SECONDS,
    `events offered by ${what}`,
  );
  report('hub.cluster.sqlite_one_node.cockpit_p99_ms', s.p99, 'ms', s.p50, 'p50 of the same run');
  process.exit(0);
}
const two = await run(2, true);
for (const [name, r] of [
  ['one_node', one],
  ['two_nodes', two],
]) {
  report(
    `hub.cluster.${name}.events_per_second`,
    r.eventsPerSecond,
    'events/s',
    r.offered / SECONDS,
    `events offered by ${what}; errors ${r.errors}, RATE_LIMITED ${r.rateLimited}`,
  );
  report(
    `hub.cluster.${name}.cockpit_p99_ms`,
    r.p99,
    'ms',
    r.p50,
    'p50 of the same run (gateway send → cockpit arrival)',
  );
}
report(
  'hub.cluster.scaling_two_over_one',
  two.eventsPerSecond,
  'events/s',
  one.eventsPerSecond,
  'one node, same load and machine',
);
