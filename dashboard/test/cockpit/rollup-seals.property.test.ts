import type { LinliEvent } from '@linli/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { rebuildRollups } from '../../src/store/rollups/backfill.js';
import { raiseEpoch, SETTLE_MS } from '../../src/store/rollups/generations.js';
import { readSealed, sealRollups, startSeals } from '../../src/store/rollups/seals.js';
import { dayStart, HOUR, QUARTER, quarterStart, sealedFor, WEEK } from '../../src/store/rollups/spans.js';
import { ensureEventPartitions } from '../../src/store/sql/partitions.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { DIALECTS, freshDb } from '../support/dialects.js';

// Ingest counts an event in its quarter day, day and week only if that bucket
// has ended; open buckets are sealed later from shorter spans (store/rollups/seals.ts).
// These runs put events on both sides of the real clock (the future ones land in
// buckets still open), read them before and after sealing at later and later
// moments, and check every answer against a scan of the events and, once all
// is sealed, the rows against a recount from scratch. The second test races a
// gateway backlog into ended, unsealed buckets against the sealer on real
// connections (PostgreSQL: a pool of them).

const DAY = 86_400_000;
const GRIDS = ['341302001001001', '341302001001002', '341302009001001', '341302002001001'];
const AREAS = ['341300', '341302001', '341302009', '341302001001002'];
const KINDS = ['meter.reading', 'gate.pass', 'smoke.alarm'];

function eventAt(gw: string, seq: number, at: number, i: number): LinliEvent {
  return {
    v: 1,
    id: `s${gw}-${seq}`,
    gatewayId: gw,
    seq,
    deviceId: `dev-${i % 5}`,
    kind: KINDS[i % KINDS.length]!,
    severity: 'info',
    deviceTime: at,
    receivedAt: at,
    location: { gridId: GRIDS[(i * 7) % GRIDS.length]!, lng: 117 + (i % 9) / 1000, lat: 33.6 + (i % 4) / 1000 },
    payload: {},
  } as unknown as LinliEvent;
}

/** Rows of buckets that are complete at `sealed` (every hour; longer spans up to their watermark). */
async function completeRows(db: SqlDb) {
  const sealed = await readSealed(db);
  const complete = (r: { span_ms: number | string; bucket_at: number | string }) => {
    const span = Number(r.span_ms);
    return Number(r.bucket_at) + span <= sealedFor(sealed, span);
  };
  const cells = await db.all<{ span_ms: number; bucket_at: number }>(
    'SELECT span_ms, bucket_at, grid_id, kind, cx, cy, n FROM rollup_cells ORDER BY span_ms, bucket_at, grid_id, kind, cx, cy',
  );
  const grids = await db.all<{ span_ms: number; bucket_at: number }>(
    'SELECT span_ms, bucket_at, grid_id, n FROM rollup_grids ORDER BY span_ms, bucket_at, grid_id',
  );
  return { cells: cells.filter(complete), grids: grids.filter(complete) };
}

async function wipe(db: SqlDb, now: number): Promise<void> {
  for (const table of ['events', 'rollup_cells', 'rollup_grids', 'gateways', 'rollup_sealed'])
    await db.run(`DELETE FROM ${table}`);
  await raiseEpoch(db);
  await db.tx((t) => startSeals(t, now));
}

for (const dialect of DIALECTS) {
  describe(`sealed roll-ups equal a scan of the events [${dialect}]`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await freshDb(dialect));
    });
    afterAll(async () => dispose());

    it('with events in open and ended buckets, sealed at later and later moments', async () => {
      const store = new SqlHubStore(db);
      const q = new CockpitQueries(db);
      const now = Date.now();
      // A China Standard Time midnight two days ago: the events reach nine days back and four days ahead of now.
      const T0 = dayStart(now) - 2 * DAY;
      const time = fc.oneof(
        fc.integer({ min: -7 * DAY, max: 6 * DAY }),
        fc.tuple(fc.integer({ min: -160, max: 140 }), fc.integer({ min: -2, max: 1 })).map(([h, d]) => h * HOUR + d),
      );
      const scenario = fc.record({
        times: fc.array(time, { minLength: 1, maxLength: 120 }),
        batch: fc.integer({ min: 1, max: 40 }),
        // Moments the sealer runs at, after the events: each later than the one before.
        seals: fc.array(fc.integer({ min: 0, max: 9 * DAY }), { minLength: 1, maxLength: 3 }),
        pruneAt: fc.option(fc.integer({ min: -7 * DAY, max: 5 * DAY }), { nil: null }),
      });
      const windowArb = fc
        .record({
          start: fc.oneof(
            fc.integer({ min: -8 * DAY, max: 6 * DAY }),
            fc.integer({ min: -8, max: 6 }).map((d) => d * DAY),
            fc.integer({ min: -192, max: 144 }).map((h) => h * HOUR),
          ),
          length: fc.oneof(fc.integer({ min: 1, max: 15 * DAY }), fc.constantFrom(DAY, 7 * DAY, 14 * DAY)),
          area: fc.constantFrom(...AREAS),
          kinds: fc.constantFrom(null, [KINDS[0]!], [KINDS[1]!, KINDS[2]!]),
        })
        .map((w) => ({ ...w, from: T0 + w.start, to: T0 + w.start + w.length }));
      await fc.assert(
        fc.asyncProperty(scenario, fc.array(windowArb, { minLength: 3, maxLength: 6 }), async (sc, windows) => {
          await wipe(db, now);
          await ensureEventPartitions(db, T0, 10, 10);
          await store.upsertGateway('gw', 'x'.repeat(64), '3413');
          const all = sc.times.map((dt, i) => eventAt('gw', i + 1, T0 + dt, i));
          for (let i = 0; i < all.length; i += sc.batch) {
            const r = await store.ingest('gw', all.slice(i, i + sc.batch));
            expect(r.gap).toBe(false);
          }
          if (sc.pruneAt !== null) while ((await store.pruneEvents(T0 + sc.pruneAt, 9)) > 0);
          const compare = async (when: string) => {
            for (const w of windows) {
              const label = `${when}: ${w.area} [${w.from - T0}, ${w.to - T0}) ${String(w.kinds)}`;
              expect(await q.heat(w.area, w.from, w.to, w.kinds), label).toEqual(
                await q.scan.heat(w.area, w.from, w.to, w.kinds),
              );
              const byGrid = (rows: { grid: string; n: number }[]) => rows.sort((a, b) => (a.grid < b.grid ? -1 : 1));
              expect(byGrid(await q.eventsByGrid(w.area, w.from, w.to)), label).toEqual(
                byGrid(await q.scan.eventsByGrid(w.area, w.from, w.to)),
              );
            }
          };
          await compare('before sealing');
          for (const step of [...sc.seals].sort((a, b) => a - b)) {
            const at = now + step;
            await sealRollups(db, at);
            const sealed = await readSealed(db);
            // Everything that ended and settled by then is sealed, and nothing that had not (but what wipe() took
            // as counted whole: everything before the current bucket at `now`).
            expect(sealed.quarter).toBeLessThanOrEqual(Math.max(quarterStart(now), at - SETTLE_MS));
            expect(sealed.quarter + QUARTER).toBeGreaterThan(at - SETTLE_MS);
            expect(sealed.week + WEEK).toBeGreaterThan(at - SETTLE_MS);
            await compare(`sealed at now + ${step}`);
          }
          // Sealed past every event: the rows are what a recount from scratch writes.
          await sealRollups(db, T0 + 6 * 7 * DAY);
          const sealedRows = await completeRows(db);
          await rebuildRollups(db);
          expect(sealedRows).toEqual(await completeRows(db));
        }),
        { numRuns: dialect === 'sqlite' ? 40 : 20 },
      );
      // Many runs against a real database on a shared machine: a generous bound, not a timing assertion.
    }, 600_000);

    it('catches up on weeks of unsealed buckets a few at a time, quarters before the days summed from them', async () => {
      const store = new SqlHubStore(db);
      const q = new CockpitQueries(db);
      const now = Date.now();
      // Sealed only to sixteen days ago, as on a hub that was stopped for two weeks and more.
      await wipe(db, now - 16 * DAY);
      await store.upsertGateway('gw', 'x'.repeat(64), '3413');
      const events = Array.from({ length: 300 }, (_, i) => eventAt('gw', i + 1, now - 16 * DAY + i * 77 * 60_000, i));
      await store.ingest('gw', events);
      const calls: number[] = [];
      for (let n = await sealRollups(db, now, { limit: 5 }); n > 0; n = await sealRollups(db, now, { limit: 5 }))
        calls.push(n);
      expect(Math.max(...calls)).toBe(5);
      // 16 days: ~64 quarters, 16 days, 2 weeks.
      expect(calls.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(63 + 15 + 2);
      const sealed = await readSealed(db);
      expect(sealed.day).toBeGreaterThan(now - SETTLE_MS - DAY);
      expect(sealed.week).toBeGreaterThan(now - SETTLE_MS - WEEK);
      for (const [from, to] of [
        [now - 16 * DAY, now],
        [dayStart(now) - 14 * DAY, dayStart(now)],
      ] as const)
        expect(await q.heat('341300', from, to, null)).toEqual(await q.scan.heat('341300', from, to, null));
      const rows = await completeRows(db);
      await rebuildRollups(db);
      expect(rows).toEqual(await completeRows(db));
    }, 300_000);

    it('with a backlog landing in ended, unsealed buckets while the sealer runs', async () => {
      const store = new SqlHubStore(db);
      const q = new CockpitQueries(db);
      const now = Date.now();
      // Sealed only to three days ago: the last three days ended (or are ending) unsealed, as after a hub was down.
      await wipe(db, now - 3 * DAY);
      const gateways = Array.from({ length: 6 }, (_, g) => `gw-${g}`);
      for (const gw of gateways) await store.upsertGateway(gw, 'x'.repeat(64), '3413');
      const perGateway = 240;
      const backlog = gateways.map((gw, g) =>
        Array.from({ length: perGateway }, (_, i) =>
          eventAt(gw, i + 1, now - 3 * DAY + Math.floor(((i + g / 7) * (3 * DAY - HOUR)) / perGateway), i + g),
        ),
      );
      let delivering = true;
      const deliveries = Promise.all(
        backlog.map(async (events) => {
          for (let i = 0; i < events.length; i += 12) await store.ingest(events[0]!.gatewayId, events.slice(i, i + 12));
        }),
      ).finally(() => (delivering = false));
      // The sealer goes over the same buckets again and again meanwhile (it seals each once; later runs find it done).
      let sealed = 0;
      const sealer = (async () => {
        while (delivering) sealed += await sealRollups(db, now);
      })();
      await Promise.all([deliveries, sealer]);
      sealed += await sealRollups(db, now);
      // Three days of quarters and days ended and settled: 12 quarters, 3 days (and maybe a week), each sealed once.
      expect(sealed).toBeGreaterThanOrEqual(11 + 2);
      expect(await q.countEvents('341300', 0, now + DAY)).toBe(gateways.length * perGateway);
      for (const [from, to] of [
        [now - 3 * DAY, now],
        [now - 80 * HOUR, now - HOUR],
        [dayStart(now) - 2 * DAY, dayStart(now)],
      ] as const) {
        expect(await q.heat('341300', from, to, null)).toEqual(await q.scan.heat('341300', from, to, null));
        expect(await q.countEvents('341302001', from, to)).toBe(await q.scan.countEvents('341302001', from, to));
      }
      const rows = await completeRows(db);
      await rebuildRollups(db);
      expect(rows).toEqual(await completeRows(db));
    }, 300_000);
  });
}
