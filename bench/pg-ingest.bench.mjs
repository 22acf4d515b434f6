// Hub ingest on PostgreSQL, in process (no network, no Socket.IO): several
// gateways' batches go through SqlHubStore.ingest over PgDb, each batch one
// transaction with the gateway's advisory lock, watermark read and update and
// a multi-row INSERT … ON CONFLICT DO NOTHING RETURNING, exactly as the hub
// runs it. Limit: COPY FROM STDIN of the rows the hub stored into an
// identical events table (same partitions, keys and indexes, from the same
// migrations in a second schema), on as many connections as there were
// gateways. pg-copy-streams is not installed; support/pg-bench.mjs speaks COPY
// through node-postgres's submittable interface. (A first try with one
// INSERT … SELECT FROM unnest() per 10,000 rows was no limit at all: 2.6×
// slower than the hub's own multi-row INSERTs, array parsing on both sides.)
//
// SQLite: bench/hub-ingest.bench.mjs measures SqlHubStore on SQLite against raw
// better-sqlite3 inserts through a real hub (network included).
//
// Sizes: BENCH_EVENTS (default 100000), BENCH_GATEWAYS (8), BENCH_BATCH (100).
import { openHubStore, hashSecret, newSecret, PgDb } from '../dashboard/dist/index.js';
import { report } from './lib.mjs';
import { demoCity, eventSource, gridsOf } from './support/hub-bench.mjs';
import { copyIn, freshDatabase } from './support/pg-bench.mjs';

const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const PER_GW = Math.ceil(Number(process.env.BENCH_EVENTS ?? 100_000) / GATEWAYS / BATCH) * BATCH;
const N = PER_GW * GATEWAYS;

const db = await freshDatabase();
let store = null;
let bulk = null;
try {
  store = await openHubStore({ database: db.url });
  const areas = demoCity();
  const gws = [];
  for (let i = 0; i < GATEWAYS; i++) {
    const community = areas.community[i % areas.community.length];
    const id = `pg-bench-gw-${i}`;
    await store.upsertGateway(id, hashSecret(newSecret()), community);
    gws.push({ id, next: eventSource(id, gridsOf(areas, community)) });
  }
  // Events made before the clock starts: the measure is storage, not JSON building.
  const now = Date.now();
  for (const g of gws)
    g.batches = Array.from({ length: PER_GW / BATCH }, () => Array.from({ length: BATCH }, () => g.next(now)));
  process.stderr.write(`  ${db.name}: ${GATEWAYS} gateways × ${PER_GW} events, ${BATCH} per batch\n`);

  // 1. The hub's path: every gateway sends its batches in order, all gateways at once.
  const t0 = process.hrtime.bigint();
  await Promise.all(
    gws.map(async (g) => {
      for (const b of g.batches) {
        const r = await store.ingest(g.id, b);
        if (r.ackSeq !== b.at(-1).seq || r.inserted.length !== b.length)
          throw new Error(`${g.id}: ${JSON.stringify(r.ackSeq)}`);
      }
    }),
  );
  const ingestRate = N / (Number(process.hrtime.bigint() - t0) / 1e9);
  const stored = await store.db.get('SELECT count(*) AS n FROM events');
  if (stored.n !== N) throw new Error(`stored ${stored.n} events, expected ${N}`);

  // 2. The limit: the rows as the hub stored them, bulk-loaded into the same table shape in schema "bulk".
  const rows = await store.db.all('SELECT * FROM events ORDER BY stored_at, gateway_id, seq');
  bulk = new PgDb({ url: db.url, schema: 'bulk', max: GATEWAYS });
  await openHubStore({ database: db.url, schema: 'bulk' }).then((s) => s.close()); // migrations + partitions
  const cols = Object.keys(rows[0]);
  // As many connections as the hub path had gateways, each copying an equal share: same parallelism.
  const share = Math.ceil(rows.length / GATEWAYS);
  const b0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: GATEWAYS }, (_, k) =>
      bulk.withClient((c) => copyIn(c, 'events', cols, rows.slice(k * share, (k + 1) * share))),
    ),
  );
  const bulkRate = rows.length / (Number(process.hrtime.bigint() - b0) / 1e9);
  const copied = await bulk.get('SELECT count(*) AS n FROM events');
  if (copied.n !== N) throw new Error(`bulk load stored ${copied.n} rows, expected ${N}`);

  report(
    'hub.pg_ingest.events_per_second',
    ingestRate,
    'events/s',
    bulkRate,
    `COPY FROM STDIN of the same rows into the same partitioned events table (same keys and indexes), ${GATEWAYS} connections in parallel; hub path: SqlHubStore.ingest over PgDb, ${GATEWAYS} gateways concurrently, ${BATCH}-event batches, one transaction each`,
  );
} finally {
  await store?.close();
  await bulk?.close();
  await db.drop();
}
