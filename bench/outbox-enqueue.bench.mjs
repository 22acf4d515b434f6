// Durable enqueue rate of the gateway outbox against raw batched SQLite inserts
// of the same rows, on the same machine, in the same run, at the same durability.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '../gateway/dist/index.js';
import { LOCATION, meterDraft, report } from './lib.mjs';

const N = 200_000;
const WAVE = 1000; // drivers in flight at once
const BATCH = 500;

async function outboxRate(synchronous) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-'));
  const box = new Outbox({ file: join(dir, 'buffer.sqlite'), gatewayId: 'gw-bench', synchronous });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += WAVE) {
    const wave = [];
    for (let j = i; j < Math.min(N, i + WAVE); j++) wave.push(box.enqueue(meterDraft(j), LOCATION));
    await Promise.all(wave);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = box.readAfter(0, N).map((e) => JSON.stringify(e));
  box.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: N / s, rows };
}

function rawRate(rows, synchronous) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(
    'CREATE TABLE t (seq INTEGER PRIMARY KEY, priority INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL)',
  );
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) ins.run(i + 1, 0, 1_790_000_000_000, rows[i]);
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH) batch(i, Math.min(rows.length, i + BATCH));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rows.length / s;
}

for (const sync of ['full', 'normal']) {
  const { rate, rows } = await outboxRate(sync);
  const raw = rawRate(rows, sync.toUpperCase());
  console.error(
    `  synchronous=${sync}: outbox ${Math.round(rate)} ev/s, raw SQLite ${Math.round(raw)} rows/s (${(rate / raw).toFixed(2)})`,
  );
  report(
    `gateway.outbox.durable_enqueue.sync_${sync}`,
    rate,
    'events/s',
    raw,
    `raw SQLite batched inserts (${BATCH}/txn, WAL, synchronous=${sync}), same rows`,
  );
}
