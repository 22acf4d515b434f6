// Backlog replay: one million events buffered by a gateway during an outage,
// then delivered to a hub process over loopback with the hub's durable commit.
// Limit: raw batched SQLite inserts of the rows the hub stored into a table
// made from the hub's own schema (same keys and indexes), at the hub's
// durability (synchronous=FULL), in this run (support/raw-limit.mjs).
// The gateway's memory through the same outage is measured on the real gateway
// process in gateway-memory.bench.mjs (this process forces gc and is not the gateway).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Outbox, Uplink } from '../gateway/dist/index.js';
import { benchDevices, LOCATION, METER_IDS, meterDraft, report } from './lib.mjs';
import { hubCli, startServer } from './support/hub-bench.mjs';
import { hubEventCount, rawInsertRate, readHubRows } from './support/raw-limit.mjs';

const N = Number(process.env.LINLI_BENCH_REPLAY_N ?? 1_000_000);
const GW = 'gw-341302001001';
const dir = mkdtempSync(join(tmpdir(), 'linli-replay-'));

// 1. Buffer N events with no hub.
const box = new Outbox({
  file: join(dir, 'gw', 'buffer.sqlite'),
  gatewayId: GW,
  synchronous: 'normal',
  ballastBytes: 0,
  location: LOCATION,
});
for (let i = 0; i < N; i += 2000) {
  await Promise.all(Array.from({ length: Math.min(2000, N - i) }, (_, k) => box.enqueue(meterDraft(i + k), LOCATION)));
  if (i % 50_000 === 0) process.stderr.write(`\r  buffering ${i}/${N}`);
}
process.stderr.write(`\r  buffered ${N} events            \n`);

// 2. The hub, as its own process, with a token for this gateway.
const hubData = join(dir, 'hub');
const token = execFileSync(
  process.execPath,
  [hubCli, 'gateway', 'add', '--data', hubData, '--id', GW, '--area', '341302001001'],
  {
    encoding: 'utf8',
  },
).trim();
// startServer takes BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") to see where the hub spends its time.
const { child: hub, port } = await startServer([hubCli, 'serve', '--data', hubData, '--port', '0']);

// 3. Replay, timing from connect to an empty outbox.
const uplink = new Uplink(
  box,
  {
    hubUrl: `http://127.0.0.1:${port}`,
    gatewayId: GW,
    token,
    statusIntervalMs: 60_000,
    // The hub stores events only from declared devices: the 32 meters meterDraft reports from.
    declaration: () => benchDevices(METER_IDS, [LOCATION.gridId]),
  },
  createLogger('bench', 'error'),
);
const t0 = process.hrtime.bigint();
uplink.start();
while (box.stats().depth > 0) {
  await new Promise((r) => setTimeout(r, 100));
  process.stderr.write(`\r  replaying: ${N - box.stats().depth}/${N}`);
}
const replaySec = Number(process.hrtime.bigint() - t0) / 1e9;
process.stderr.write('\n');
await uplink.stop();
box.close();
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));

// 4. The limit: the rows the hub stored, inserted straight into the hub's own table and indexes, 1000 per transaction, FULL.
const stored = readHubRows(join(hubData, 'hub.sqlite'));
// 1M events outgrow the outbox's 512 MiB default: the oldest telemetry is evicted and counted lost at the hub.
const { lost } = hubEventCount(join(hubData, 'hub.sqlite'));
if (stored.rows.length + lost !== N || stored.rows.length < N / 2)
  throw new Error(`hub stored ${stored.rows.length} events and counted ${lost} evicted, expected ${N} in all`);
const rawRate = rawInsertRate(stored, dir, 1000);
rmSync(dir, { recursive: true, force: true });

report(
  'gateway.replay.events_per_second',
  stored.rows.length / replaySec,
  'events/s',
  rawRate,
  'raw SQLite inserts of the rows the hub stored into its own events table and indexes (1000/txn, WAL, FULL)',
  { at_least: 0.3 },
);
