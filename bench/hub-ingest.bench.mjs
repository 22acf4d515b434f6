// Hub ingest: many gateways deliver event batches over Socket.IO to a real hub
// process, which commits each batch durably (WAL, synchronous=FULL) before it
// acknowledges. Limit: the same rows inserted straight into a table of the
// hub's shape (same primary key and indexes), in transactions of the same
// size, at the same durability, with better-sqlite3, in this run, taking
// turns with the hub (support/raw-limit.mjs).
//
// Sizes: BENCH_EVENTS (total, default 200000), BENCH_GATEWAYS (100),
// BENCH_BATCH (events per batch, 100), BENCH_WINDOW (batches in flight per gateway, 2),
// BENCH_HISTORY (events already stored, 1000000: a day of the demo city's
// gateways over its real grids, written into the hub's file before it starts and
// copied into the limit's table before its first turn, untimed: a hub's table
// is never empty, and inserts into a table of a million rows cost more than
// into an empty one, the limit's most of all),
// BENCH_ROUNDS (hub and limit take turns, 4). One more round of the same size
// comes first and is reported on its own (hub.ingest.cold_events_per_second):
// the hub process has just started, so V8 is still compiling its hot paths.
// A hub runs for months; the goal is for the rounds after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { wire } from '../contract/dist/index.js';
import { hashSecret, newSecret, openHubStore } from '../dashboard/dist/index.js';
import { benchDevices, METER_IDS, report } from './lib.mjs';
import { demoGrids, insertHistory } from './support/cockpit-bench.mjs';
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
import { hubSchema, openRawLimit, readHubRows, spreadOf } from './support/raw-limit.mjs';

const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 100);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
const MEASURED_PER_GW = Math.ceil(Number(process.env.BENCH_EVENTS ?? 200_000) / GATEWAYS);
const PER_ROUND = Math.ceil(MEASURED_PER_GW / ROUNDS);
const PER_GW = MEASURED_PER_GW + PER_ROUND; // the cold round first
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
  const hubFile = join(hubData, 'hub.sqlite');
  const HOUR = 3_600_000;
  const history = HISTORY
    ? await insertHistory(hubFile, demoGrids(), HISTORY, Date.now() - 25 * HOUR, Date.now() - HOUR)
    : { count: 0, grids: 0 };
  if (HISTORY) process.stderr.write(`  history: ${history.count} events over ${history.grids} grids stored\n`);

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

  // 3. Rounds: the hub ingests a share of the events, then the raw limit inserts the rows the hub
  //    stored in that round, and so on, so a change in the disk's fsync rate during the run
  //    (it varies from minute to minute on a shared machine) falls on both alike.
  //    Each gateway sends its batches in sequence order with up to WINDOW unacknowledged,
  //    and checks that every acknowledgement names the batch's last sequence.
  const raw = openRawLimit(hubSchema(hubFile), dir);
  raw.preload(hubFile);
  if (raw.count() !== history.count)
    throw new Error(`the limit preloaded ${raw.count()} rows, expected ${history.count}`);
  const rss = rssSampler(hub.pid);
  let acked = 0;
  let hubSec = 0;
  let rawSec = 0;
  let rawRows = 0;
  const cold = { hubSec: 0, rawSec: 0, rows: 0 };
  for (let round = 0, from = 0; from < PER_GW; round++, from += PER_ROUND) {
    const to = Math.min(PER_GW, from + PER_ROUND);
    const t0 = process.hrtime.bigint();
    let lastAcked = acked;
    const progress = setInterval(() => {
      process.stderr.write(
        `\r  ${round ? `round ${round}/${ROUNDS}` : 'cold round'}: ${acked}/${N} acked, ${acked - lastAcked} in the last second, ` +
          `hub RSS ${rss.last.toFixed(0)} MiB   `,
      );
      lastAcked = acked;
    }, 1000);
    await Promise.all(
      gws.map(async (g) => {
        let sent = from;
        const inFlight = new Set();
        while (sent < to || inFlight.size) {
          while (sent < to && inFlight.size < WINDOW) {
            const n = Math.min(BATCH, to - sent);
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
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(progress);
    // The limit's turn: the rows this round stored (read while the hub idles), BATCH per transaction, WAL + FULL.
    const { rows } = readHubRows(hubFile, from, to, 'bench-gw-%');
    if (rows.length !== (to - from) * GATEWAYS)
      throw new Error(
        `${round ? `round ${round}` : 'cold round'}: the hub stored ${rows.length} events, expected ${(to - from) * GATEWAYS}`,
      );
    const r = raw.insert(rows, BATCH);
    if (round === 0) Object.assign(cold, { hubSec: sec, rawSec: r, rows: rows.length });
    else {
      hubSec += sec;
      rawSec += r;
      rawRows += rows.length;
    }
    process.stderr.write(
      `\r  ${round ? `round ${round}` : 'cold round'}: hub ${Math.round(rows.length / sec)} events/s, raw ${Math.round(rows.length / r)} rows/s` +
        `, ratio ${(r / sec).toFixed(2)}                          \n`,
    );
  }
  rss.stop();
  process.stderr.write(
    `  ingest: ${N} events acked in ${(cold.hubSec + hubSec).toFixed(1)} s, hub RSS peak ${rss.peak.toFixed(0)} MiB\n`,
  );
  for (const s of sockets) s.disconnect();
  await stopServer(hub);
  if (raw.count() !== N + history.count)
    throw new Error(`the raw limit holds ${raw.count()} rows, expected ${N + history.count}`);
  raw.close();

  // 4. What the hub stored: every event, once, spread over every grid the gateways serve, at many positions.
  const stored = readHubRows(hubFile, 0, Number.MAX_SAFE_INTEGER, 'bench-gw-%');
  if (stored.rows.length !== N) throw new Error(`hub stored ${stored.rows.length} events, expected ${N}`);
  const spread = spreadOf(stored);
  const served = new Set(gws.flatMap((g) => g.grids)).size;
  if (spread.grids !== served || spread.cells < 2 * served)
    throw new Error(`stored rows cover ${spread.grids} of ${served} grids in ${spread.cells} heat cells`);
  process.stderr.write(`  stored rows: ${spread.grids} grids, ${spread.cells} heat cells\n`);
  const rawRate = rawRows / rawSec;

  const shape = `${GATEWAYS} gateways × ${BATCH}-event batches, ${WINDOW} in flight each`;
  report(
    'hub.ingest.cold_events_per_second',
    cold.rows / cold.hubSec,
    'events/s',
    cold.rows / cold.rawSec,
    `raw SQLite inserts of the same rows into a table of the hub's shape holding the same ${history.count} events (${BATCH}/txn, WAL, FULL); the first ${cold.rows} events after the hub started, ${shape}`,
  );
  report(
    'hub.ingest.events_per_second',
    rawRows / hubSec,
    'events/s',
    rawRate,
    `raw SQLite inserts of the same rows into the hub's events table shape and indexes, holding the same ${history.count} events first (${BATCH}/txn, WAL, FULL); ${shape}, ${ROUNDS} rounds taking turns with the hub after the cold round`,
    { at_least: 0.6 },
  );
} finally {
  for (const s of sockets) s.disconnect();
  if (hub) await stopServer(hub);
  await sleep(0);
  rmSync(dir, { recursive: true, force: true });
}
