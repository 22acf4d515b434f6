import type { LinliEvent } from '@linli/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { rebuildRollups } from '../../src/store/rollups/backfill.js';
import { raiseEpoch } from '../../src/store/rollups/generations.js';
import { ensureEventPartitions } from '../../src/store/sql/partitions.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { DIALECTS, freshDb } from '../support/dialects.js';

// The roll-ups answer exactly what a scan of the events answers: random events
// (positions on and beside half-cell edges, kinds, times across hour and day
// boundaries, over three weeks so whole Monday weeks are in play), sent as the gateways send them (batches, resent batches, alarms
// ahead on the live lane), some pruned by retention; then random windows (any
// millisecond, whole hours, local midnights in zones from UTC−12 to UTC+14
// including half- and quarter-hour ones) and areas, on both engines.

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A China Standard Time midnight, so whole-day roll-ups are in play. */
const T0 = Date.parse('2025-10-10T00:00:00+08:00');
const GRIDS = ['341302001001001', '341302001001002', '341302001002001', '341302009001001', '341302002001001'];
const AREAS = ['341300', '341302001', '341302001001001', '341302009', '341302002', '341302003'];
const KINDS = ['meter.reading', 'gate.pass', 'smoke.alarm'];
const ZONES = [-12, -5, 0, 5.5, 5.75, 8, 9.5, 14].map((h) => h * HOUR);

const coordinate = (base: number) =>
  fc.oneof(
    fc.double({ min: base, max: base + 0.02, noNaN: true }),
    // On a half-cell edge, and a hair either side of one.
    fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 1e-12, -1e-12, 1e-9, -1e-9))
      .map(([k, d]) => Number((base + k / 1000 + 0.0005).toFixed(4)) + d),
    fc.integer({ min: 0, max: 20 }).map((k) => base + k / 1000),
  );

const time = fc.oneof(
  fc.integer({ min: -3 * DAY, max: 3 * DAY }),
  fc.integer({ min: -10 * DAY, max: 10 * DAY }),
  // Just around an hour (and so a day, and a week) boundary.
  fc.tuple(fc.integer({ min: -240, max: 240 }), fc.integer({ min: -2, max: 1 })).map(([h, d]) => h * HOUR + d),
);

const draft = fc.record({
  gw: fc.integer({ min: 0, max: 1 }),
  grid: fc.constantFrom(...GRIDS),
  kind: fc.constantFrom(...KINDS),
  lng: coordinate(117),
  lat: coordinate(33.6),
  dt: time,
});

const scenario = fc.record({
  drafts: fc.array(draft, { minLength: 1, maxLength: 160 }),
  batch: fc.integer({ min: 1, max: 50 }),
  // A device reporting again within seconds: events of one batch that share an hour and a cell.
  repeat: fc.integer({ min: 1, max: 4 }),
  resend: fc.boolean(),
  live: fc.boolean(),
  pruneAt: fc.option(fc.integer({ min: -10 * DAY, max: 10 * DAY }), { nil: null }),
});

const windowArb = fc
  .record({
    start: fc.oneof(
      fc.integer({ min: -11 * DAY, max: 10 * DAY }),
      fc.integer({ min: -264, max: 240 }).map((h) => h * HOUR),
      fc
        .tuple(fc.integer({ min: -11, max: 10 }), fc.constantFrom(...ZONES))
        .map(([d, z]) => Math.floor((T0 + d * DAY + z) / DAY) * DAY - z - T0),
    ),
    length: fc.oneof(
      fc.integer({ min: 1, max: 22 * DAY }),
      fc.integer({ min: 1, max: 500 }).map((h) => h * HOUR),
      fc.constantFrom(DAY, 7 * DAY, 14 * DAY, 21 * DAY),
    ),
    area: fc.constantFrom(...AREAS),
    kinds: fc.constantFrom(null, [KINDS[0]!], [KINDS[1]!, KINDS[2]!]),
  })
  .map((w) => ({ ...w, from: T0 + w.start, to: T0 + w.start + w.length }));

type Draft = typeof draft extends fc.Arbitrary<infer D> ? D : never;

function events(drafts: Draft[], repeat: number): LinliEvent[] {
  const seqs = [0, 0];
  const again = drafts.flatMap((d) => Array.from({ length: repeat }, (_, k) => ({ ...d, dt: d.dt + k * 1000 })));
  return again.map((d, i) => {
    const seq = ++seqs[d.gw]!;
    const at = T0 + d.dt;
    return {
      v: 1,
      id: `e${i}`,
      gatewayId: `gw-${d.gw}`,
      seq,
      deviceId: `dev-${i % 7}`,
      kind: d.kind,
      severity: 'info',
      deviceTime: at,
      receivedAt: at,
      location: { lng: d.lng, lat: d.lat, gridId: d.grid },
      payload: {},
    } as unknown as LinliEvent;
  });
}

async function rollupRows(db: SqlDb) {
  return {
    cells: await db.all(
      'SELECT span_ms, bucket_at, grid_id, kind, cx, cy, n FROM rollup_cells ORDER BY span_ms, bucket_at, grid_id, kind, cx, cy',
    ),
    grids: await db.all('SELECT span_ms, bucket_at, grid_id, n FROM rollup_grids ORDER BY span_ms, bucket_at, grid_id'),
  };
}

for (const dialect of DIALECTS) {
  describe(`roll-ups equal a scan of the events [${dialect}]`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await freshDb(dialect));
    });
    afterAll(async () => dispose());

    it('for random events, batches, duplicates, retention, windows and areas', async () => {
      const store = new SqlHubStore(db);
      const q = new CockpitQueries(db);
      await fc.assert(
        fc.asyncProperty(scenario, fc.array(windowArb, { minLength: 4, maxLength: 8 }), async (sc, windows) => {
          for (const table of ['events', 'rollup_cells', 'rollup_grids', 'gateways'])
            await db.run(`DELETE FROM ${table}`);
          // Roll-ups wiped around the store: every fold the queries keep is stale (generations.ts).
          await raiseEpoch(db);
          // Day partitions around T0 on PostgreSQL, so retention drops whole days there as well as rows.
          await ensureEventPartitions(db, T0, 11, 11);
          for (const gw of [0, 1]) await store.upsertGateway(`gw-${gw}`, 'x'.repeat(64), '3413');
          const all = events(sc.drafts, sc.repeat);
          const compare = async () => {
            const stored = await q.scan.countEvents('341300', 0, T0 + 12 * DAY);
            expect(await q.countEvents('341300', 0, T0 + 12 * DAY)).toBe(stored);
            for (const w of windows) {
              const label = `${w.area} [${w.from - T0}, ${w.to - T0}) ${String(w.kinds)}`;
              expect(await q.heat(w.area, w.from, w.to, w.kinds), label).toEqual(
                await q.scan.heat(w.area, w.from, w.to, w.kinds),
              );
              expect(await q.countEvents(w.area, w.from, w.to), label).toBe(
                await q.scan.countEvents(w.area, w.from, w.to),
              );
              const byGrid = (rows: { grid: string; n: number }[]) => rows.sort((a, b) => (a.grid < b.grid ? -1 : 1));
              expect(byGrid(await q.eventsByGrid(w.area, w.from, w.to)), label).toEqual(
                byGrid(await q.scan.eventsByGrid(w.area, w.from, w.to)),
              );
            }
            // Again once the settled buckets those reads missed are folded: now the heat comes from the folds.
            await q.foldsIdle();
            for (const w of windows) {
              const label = `folded ${w.area} [${w.from - T0}, ${w.to - T0}) ${String(w.kinds)}`;
              expect(await q.heat(w.area, w.from, w.to, w.kinds), label).toEqual(
                await q.scan.heat(w.area, w.from, w.to, w.kinds),
              );
              const byGrid = (rows: { grid: string; n: number }[]) => rows.sort((a, b) => (a.grid < b.grid ? -1 : 1));
              expect(byGrid(await q.eventsByGrid(w.area, w.from, w.to)), label).toEqual(
                byGrid(await q.scan.eventsByGrid(w.area, w.from, w.to)),
              );
            }
          };
          for (const gw of ['gw-0', 'gw-1']) {
            const own = all.filter((e) => e.gatewayId === gw);
            // Alarms ahead on the live lane: the backlog's copy later is a duplicate.
            if (sc.live)
              await store.ingestLive(
                gw,
                own.filter((_, i) => i % 3 === 1),
              );
            let prev: LinliEvent[] = [];
            for (let i = 0; i < own.length; i += sc.batch) {
              const chunk = own.slice(i, i + sc.batch);
              const r = await store.ingest(gw, chunk);
              expect(r.gap).toBe(false);
              if (sc.resend && prev.length) expect((await store.ingest(gw, prev)).inserted).toEqual([]);
              prev = chunk;
            }
            // The windows read (and their ended buckets folded) before the second gateway's backlog lands in
            // them: its events are late ones, which must make those folds stale.
            if (gw === 'gw-0') await compare();
          }
          if (sc.pruneAt !== null) while ((await store.pruneEvents(T0 + sc.pruneAt, 7)) > 0);
          await compare();
          // The backfill (migration 016 on an existing database) counts the same rows the ingest hook did.
          const kept = await rollupRows(db);
          await rebuildRollups(db);
          expect(await rollupRows(db)).toEqual(kept);
        }),
        { numRuns: dialect === 'sqlite' ? 50 : 25 },
      );
      // Many runs against a real database on a shared machine: a generous bound, not a timing assertion.
    }, 600_000);
  });
}
