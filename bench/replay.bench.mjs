// Backlog replay: one million events buffered by a gateway during an outage,
// then delivered to a hub process over loopback with the hub's durable commit.
// Limit: raw batched SQLite inserts of the same rows into a table shaped like
// the hub's, at the hub's durability (synchronous=FULL), in this run.
// The gateway's memory through the same outage is measured on the real gateway
// process in gateway-memory.bench.mjs (this process forces gc and is not the gateway).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createLogger, Outbox, Uplink } from '../gateway/dist/index.js';
import { LOCATION, meterDraft, report } from './lib.mjs';

const N = Number(process.env.LINLI_BENCH_REPLAY_N ?? 1_000_000);
const GW = 'gw-341302001001';
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linli-replay-'));

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

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
const hubCli = join(root, 'dashboard/dist/cli.js');
const token = execFileSync(
  process.execPath,
  [hubCli, 'gateway', 'add', '--data', hubData, '--id', GW, '--area', '341302001001'],
  {
    encoding: 'utf8',
  },
).trim();
const port = await freePort();
const hub = spawn(process.execPath, [hubCli, 'serve', '--data', hubData, '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, LINLI_LOG_LEVEL: 'warn' },
});
await new Promise((res) => hub.stdout.on('data', (d) => String(d).includes('"ready"') && res()));

// 3. Replay, timing from connect to an empty outbox.
const uplink = new Uplink(
  box,
  { hubUrl: `http://127.0.0.1:${port}`, gatewayId: GW, token, statusIntervalMs: 60_000 },
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

// 4. The limit: the same rows inserted straight into a hub-shaped SQLite table, 1000 per transaction, FULL.
const rows = [];
{
  const src = new Database(join(hubData, 'hub.sqlite'), { readonly: true });
  for (const r of src.prepare('SELECT body FROM events ORDER BY seq').iterate()) rows.push(r.body);
  src.close();
}
const raw = new Database(join(dir, 'raw.sqlite'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = FULL');
raw.exec(`CREATE TABLE events (gateway_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
  severity TEXT NOT NULL, device_id TEXT NOT NULL, grid_id TEXT NOT NULL, received_at INTEGER NOT NULL, stored_at INTEGER NOT NULL,
  body TEXT NOT NULL, PRIMARY KEY (gateway_id, seq)) WITHOUT ROWID`);
const ins = raw.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const batch = raw.transaction((from, to) => {
  for (let i = from; i < to; i++)
    ins.run(GW, i + 1, 'id', 'meter.reading', 'info', 'meter-01', LOCATION.gridId, 0, 0, rows[i]);
});
const r0 = process.hrtime.bigint();
for (let i = 0; i < rows.length; i += 1000) batch(i, Math.min(rows.length, i + 1000));
const rawRate = rows.length / (Number(process.hrtime.bigint() - r0) / 1e9);
raw.close();
rmSync(dir, { recursive: true, force: true });

report(
  'gateway.replay.events_per_second',
  N / replaySec,
  'events/s',
  rawRate,
  'raw SQLite batched inserts into a hub-shaped table (1000/txn, WAL, FULL), same rows',
);
