// Hub ingest: many gateways deliver event batches over Socket.IO to a real hub
// process, which commits each batch durably (WAL, synchronous=FULL) before it
// acknowledges. Limit: the same rows inserted straight into a table of the
// hub's shape (same primary key and indexes), in transactions of the same
// size, at the same durability, with better-sqlite3, in this run.
//
// Sizes: BENCH_EVENTS (total, default 200000), BENCH_GATEWAYS (100),
// BENCH_BATCH (events per batch, 100), BENCH_WINDOW (batches in flight per gateway, 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { wire } from '../contract/dist/index.js';
import { hashSecret, newSecret, openHubStore } from '../dashboard/dist/index.js';
import { benchDevices, METER_IDS, report } from './lib.mjs';
import {
  demoCity,
  eventSource,
  gridsOf,
  hubCli,
  rssSampler,
  sleep,
  startServer,
  stopServer,
} from './support/hub-bench.mjs';
import { rawInsertRate, readHubRows, spreadOf } from './support/raw-limit.mjs';

const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 100);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 2);
const PER_GW = Math.ceil(Number(process.env.BENCH_EVENTS ?? 200_000) / GATEWAYS);
const N = PER_GW * GATEWAYS;

const dir = mkdtempSync(join(tmpdir(), 'linli-hub-ingest-'));
const hubData = join(dir, 'hub');
const sockets = [];
let hub = null;
try {
  // 1. Gateways enrolled the way `linli-hub gateway add` does it (one CLI
  //    process per gateway would take minutes on a loaded machine), each
  //    serving one demo-city community and reporting from its real grids.
  const areas = demoCity();
  const gws = [];
  {
    const store = await openHubStore({ dataDir: hubData });
    for (let i = 0; i < GATEWAYS; i++) {
      const community = areas.community[i % areas.community.length];
      const id = `bench-gw-${String(i).padStart(3, '0')}`;
      const token = newSecret();
      await store.upsertGateway(id, hashSecret(token), community);
      const grids = gridsOf(areas, community);
      gws.push({ id, token, grids, next: eventSource(id, grids) });
    }
    await store.close();
  }

  // 2. The hub as its own process; every gateway connected and greeted before the clock starts.
  const started = await startServer([hubCli, 'serve', '--data', hubData, '--port', '0']);
  hub = started.child;
  const url = `http://127.0.0.1:${started.port}${wire.GATEWAY_NAMESPACE}`;
  await Promise.all(
    gws.map(async (g) => {
      const s = io(url, {
        auth: { gatewayId: g.id, token: g.token, protocol: wire.PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      await new Promise((res, rej) => {
        s.once('connect', res);
        s.once('connect_error', rej);
      });
      const hello = await s
        .timeout(30_000)
        .emitWithAck('hello', { devices: benchDevices(METER_IDS, g.grids), lastSeq: 0 });
      if (!hello.ok || hello.lastSeq !== 0) throw new Error(`${g.id}: unexpected hello ${JSON.stringify(hello)}`);
      g.socket = s;
    }),
  );
  process.stderr.write(`  ${GATEWAYS} gateways connected; delivering ${N} events in batches of ${BATCH}\n`);

  // 3. Each gateway sends its batches in sequence order with up to WINDOW unacknowledged,
  //    and checks that every acknowledgement names the batch's last sequence.
  const rss = rssSampler(hub.pid);
  let acked = 0;
  const t0 = process.hrtime.bigint();
  let lastAcked = 0;
  const progress = setInterval(() => {
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    process.stderr.write(
      `\r  ingest: ${acked}/${N} acked, ${Math.round(acked / s)} events/s overall, ` +
        `${acked - lastAcked} in the last second, hub RSS ${rss.last.toFixed(0)} MiB   `,
    );
    lastAcked = acked;
  }, 1000);
  await Promise.all(
    gws.map(async (g) => {
      let sent = 0;
      const inFlight = new Set();
      while (sent < PER_GW || inFlight.size) {
        while (sent < PER_GW && inFlight.size < WINDOW) {
          const n = Math.min(BATCH, PER_GW - sent);
          const now = Date.now();
          const events = Array.from({ length: n }, () => g.next(now));
          sent += n;
          const lastSeq = sent;
          const p = g.socket
            .timeout(120_000)
            .emitWithAck('events', { events })
            .then((r) => {
              if (!r.ok || r.ackSeq !== lastSeq)
                throw new Error(`${g.id}: batch up to seq ${lastSeq} answered ${JSON.stringify(r)}`);
              acked += n;
              inFlight.delete(p);
            });
          inFlight.add(p);
        }
        await Promise.race(inFlight);
      }
    }),
  );
  const ingestSec = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(progress);
  rss.stop();
  process.stderr.write(
    `\r  ingest: ${N} events acked in ${ingestSec.toFixed(1)} s, hub RSS peak ${rss.peak.toFixed(0)} MiB\n`,
  );
  for (const s of sockets) s.disconnect();
  await stopServer(hub);

  // 4. What the hub stored, in the order it stored it: every event, once.
  const stored = readHubRows(join(hubData, 'hub.sqlite'));
  if (stored.rows.length !== N) throw new Error(`hub stored ${stored.rows.length} events, expected ${N}`);
  // Rows spread over every grid the gateways serve, at many positions: not one spot repeated.
  const spread = spreadOf(stored);
  const served = new Set(gws.flatMap((g) => g.grids)).size;
  if (spread.grids !== served || spread.cells < 2 * served)
    throw new Error(`stored rows cover ${spread.grids} of ${served} grids in ${spread.cells} heat cells`);
  process.stderr.write(`  stored rows: ${spread.grids} grids, ${spread.cells} heat cells\n`);

  // 5. The limit: the same rows, the hub's own table and indexes, BATCH rows per transaction, WAL + FULL.
  process.stderr.write(`  raw SQLite: inserting the same ${N} rows, ${BATCH} per transaction\n`);
  const rawRate = rawInsertRate(stored, dir, BATCH);

  report(
    'hub.ingest.events_per_second',
    N / ingestSec,
    'events/s',
    rawRate,
    `raw SQLite inserts of the same rows into the hub's events table shape and indexes (${BATCH}/txn, WAL, FULL); ${GATEWAYS} gateways × ${BATCH}-event batches, ${WINDOW} in flight each`,
    { at_least: 0.6 },
  );
} finally {
  for (const s of sockets) s.disconnect();
  if (hub) await stopServer(hub);
  await sleep(0);
  rmSync(dir, { recursive: true, force: true });
}
