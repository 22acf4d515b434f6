// Slow tier (npm test only, not npm run test:fast): needs PostgreSQL (compares both engines' answers). See CONTRIBUTING.md, "Test tiers".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { scopeWhere } from '../../src/api/routes/scope-where.js';
import { RollupDelta, applyRollups } from '../../src/store/rollups/rollup-writer.js';
import type { SqlDb, SqlExec, SqlValue } from '../../src/store/sql/sql-db.js';
import { rawSqlite } from '../../src/store/sql/sqlite-db.js';
import { describeEachDialect, freshDb } from '../support/dialects.js';

const DAY = 86_400_000;
const T0 = 1_760_000_000_000;
const G1 = '341302001001001';
const G2 = '341302001001002';
const G9 = '341302009001001';
const OTHER = '341302002001001';

let seq = 0;
async function event(
  db: SqlDb,
  grid: string,
  at: number,
  lng: number | null,
  lat: number | null,
  kind = 'smoke.alarm',
) {
  seq++;
  // In one transaction, as the store's ingest does (a count into ended buckets takes the sealer's lock shared).
  await db.tx(async (t) => {
    await t.run(
      `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ['gw', seq, `e${seq}`, kind, 'info', 'dev', grid, at, at, '{}', lng, lat],
    );
    await countIn(t, grid, at, lng, lat, kind);
  });
}

/** What the store's ingest hook does for an event it inserted: counts it into the roll-ups. */
function countIn(t: SqlExec, grid: string, at: number, lng: number | null, lat: number | null, kind: string) {
  return applyRollups(t, new RollupDelta().addEvent({ receivedAt: at, kind, location: { gridId: grid, lng, lat } }));
}

async function alert(
  db: SqlDb,
  id: string,
  grid: string,
  raisedAt: number,
  severity: string,
  history: [string, number][] = [],
) {
  const p: SqlValue[] = [id, 'open', 1, 1, 'smoke.alarm', severity, 'gw', 'dev', grid, 117, 33.6, 1, 'e', raisedAt];
  await db.run(
    `INSERT INTO alert_alerts (id, state, level, version, kind, severity, gateway_id, device_id, grid_id, lng, lat, count,
       first_event_id, first_event_at, last_event_at, raised_at, state_since, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...p, raisedAt, raisedAt, raisedAt, raisedAt],
  );
  let n = 0;
  for (const [action, at] of history)
    await db.run(
      'INSERT INTO alert_history (alert_id, seq, at, actor, action, to_state, level) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, ++n, at, 'u', action, action, 1],
    );
}

describe('scopeWhere', () => {
  it('pairs the LIKE prefix with the range of codes that start with it', () => {
    expect(scopeWhere('grid_id', '341302001').params).toEqual(['341302001%', '341302001', '341302002']);
    expect(scopeWhere('grid_id', '341302009').params).toEqual(['341302009%', '341302009', '34130201']);
    expect(scopeWhere('grid_id', '341300').params).toEqual(['3413%', '3413', '3414']);
  });
});

describeEachDialect('cockpit aggregates', (ctx) => {
  it('counts events per ~110 m cell inside the scope and window, by kind, positionless events last', async () => {
    const db = ctx.db;
    await event(db, G1, T0, 117.00049, 33.6);
    await event(db, G1, T0 + 1, 117.0005, 33.6); // rounds up into the next cell
    await event(db, G1, T0 + 2, 117.0014, 33.6004);
    await event(db, G2, T0 + 3, 117.0006, 33.6, 'water.leak');
    await event(db, G2, T0 + 4, null, null);
    await event(db, G9, T0 + 5, 117.0006, 33.6);
    await event(db, OTHER, T0 + 6, 117.0006, 33.6);
    await event(db, G1, T0 + DAY, 117.0006, 33.6); // outside the window
    const q = new CockpitQueries(db);
    expect(await q.heat('341302001', T0, T0 + DAY, null)).toEqual([
      { x: 117.001, y: 33.6, n: 3 },
      { x: 117, y: 33.6, n: 1 },
      { x: null, y: null, n: 1 },
    ]);
    expect(await q.heat('341302001', T0, T0 + DAY, ['water.leak'])).toEqual([{ x: 117.001, y: 33.6, n: 1 }]);
    expect(await q.heat('341302001', T0, T0 + DAY, ['water.leak', 'smoke.alarm'])).toHaveLength(3);
    expect(await q.heat('341302009', T0, T0 + DAY, null)).toEqual([{ x: 117.001, y: 33.6, n: 1 }]);
    const city = await q.heat('341300', T0, T0 + 2 * DAY, null);
    expect(city.reduce((s, c) => s + c.n, 0)).toBe(8);
  });

  it('counts the events of an area and window as the KPIs show them, whatever the browser received', async () => {
    const db = ctx.db;
    await event(db, G1, T0, 117.0005, 33.6);
    await event(db, G2, T0 + 1, null, null);
    await event(db, G9, T0 + 2, 117.0006, 33.6);
    await event(db, OTHER, T0 + 3, 117.0006, 33.6);
    await event(db, G1, T0 + DAY, 117.0006, 33.6);
    const q = new CockpitQueries(db);
    expect(await q.countEvents('341302001', T0, T0 + DAY)).toBe(2);
    expect(await q.countEvents('341302009', T0, T0 + DAY)).toBe(1);
    expect(await q.countEvents('341300', T0, T0 + DAY)).toBe(4);
    expect(await q.countEvents('341300', T0, T0 + 2 * DAY)).toBe(5);
    expect(await q.countEvents('341302001', T0 + 2, T0 + 3)).toBe(0);
  });

  it('reviews alerts per grid (critical, mean times to acknowledge and resolve) with events, and counts per day', async () => {
    const db = ctx.db;
    await alert(db, 'a1', G1, T0 + 10, 'critical', [
      ['acknowledge', T0 + 10 + 1000],
      ['acknowledge', T0 + 10 + 5000],
      ['resolve', T0 + 10 + 10_000],
    ]);
    await alert(db, 'a2', G1, T0 + DAY + 5, 'warning', [['acknowledge', T0 + DAY + 5 + 2001]]);
    await alert(db, 'a3', G2, T0 + 2 * DAY + 7, 'info');
    await alert(db, 'a4', OTHER, T0 + 20, 'critical');
    await alert(db, 'a5', G1, T0 + 3 * DAY, 'critical'); // outside the window
    await event(db, G1, T0 + 1, 117, 33.6);
    await event(db, G1, T0 + 2, 117, 33.6);
    await event(db, G9, T0 + 3, 117, 33.6);
    const q = new CockpitQueries(db);
    expect(await q.review('341302001', T0, T0 + 3 * DAY)).toEqual([
      { grid: G1, alerts: 2, critical: 1, ackMs: 1501, resolveMs: 10_000, events: 2 },
      { grid: G2, alerts: 1, critical: 0, ackMs: null, resolveMs: null, events: 0 },
    ]);
    expect(await q.review('341300', T0, T0 + 3 * DAY)).toHaveLength(4);
    expect(await q.alertsByDay('341302001', T0, T0 + 3 * DAY)).toEqual([
      { day: T0, alerts: 1 },
      { day: T0 + DAY, alerts: 1 },
      { day: T0 + 2 * DAY, alerts: 1 },
    ]);
    expect(await q.alertsByDay('341300', T0, T0 + 3 * DAY)).toEqual([
      { day: T0, alerts: 2 },
      { day: T0 + DAY, alerts: 1 },
      { day: T0 + 2 * DAY, alerts: 1 },
    ]);
  });
});

describe('cockpit aggregates give the same numbers on SQLite and PostgreSQL, and as before the port', () => {
  const dbs: { db: SqlDb; dispose: () => Promise<void> }[] = [];
  beforeAll(async () => {
    dbs.push(await freshDb('sqlite'), await freshDb('postgres'));
    // The same pseudo-random city on both: positions with many digits, some on cell edges.
    let s = 42;
    const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const grids = [G1, G2, G9, OTHER, '341302001002001'];
    for (const { db } of dbs) {
      s = 42;
      seq = 0;
      await db.tx(async (t) => {
        for (let i = 0; i < 3000; i++) {
          const lng =
            i % 97 === 0 ? null : i % 13 === 0 ? 117 + Math.floor(rnd() * 100) / 1000 + 0.0005 : 117 + rnd() * 0.1;
          const lat =
            lng === null ? null : i % 11 === 0 ? 33.6 + Math.floor(rnd() * 100) / 1000 + 0.0005 : 33.6 + rnd() * 0.1;
          const at = T0 + Math.floor(rnd() * 7 * DAY);
          seq++;
          await t.run(
            `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              'gw',
              seq,
              `e${seq}`,
              i % 3 ? 'smoke.alarm' : 'water.leak',
              'info',
              'd',
              grids[i % 5]!,
              at,
              at,
              '{}',
              lng,
              lat,
            ],
          );
          await countIn(t, grids[i % 5]!, at, lng, lat, i % 3 ? 'smoke.alarm' : 'water.leak');
        }
      });
      for (let i = 0; i < 200; i++) {
        const raised = T0 + Math.floor(rnd() * 7 * DAY);
        const h: [string, number][] = [];
        if (i % 2) h.push(['acknowledge', raised + Math.floor(rnd() * 600_000)]);
        if (i % 3 === 0) h.push(['resolve', raised + Math.floor(rnd() * 6_000_000)]);
        await alert(db, `a${i}`, grids[i % 5]!, raised, i % 4 ? 'warning' : 'critical', h);
      }
    }
  });
  afterAll(async () => {
    for (const d of dbs.splice(0)) await d.dispose();
  });

  it('heatmap, review and days match exactly', async () => {
    const [lite, pg] = dbs.map((d) => new CockpitQueries(d.db));
    for (const area of ['341300', '341302001', '341302001001001', '341302009']) {
      for (const kinds of [null, ['water.leak']]) {
        const a = await lite!.heat(area, T0, T0 + 7 * DAY, kinds);
        expect(a.length).toBeGreaterThan(0);
        expect(await pg!.heat(area, T0, T0 + 7 * DAY, kinds)).toEqual(a);
      }
      expect(await pg!.review(area, T0, T0 + 3 * DAY)).toEqual(await lite!.review(area, T0, T0 + 3 * DAY));
      expect(await pg!.alertsByDay(area, T0 + 1234, T0 + 7 * DAY)).toEqual(
        await lite!.alertsByDay(area, T0 + 1234, T0 + 7 * DAY),
      );
    }
  });

  it('heatmap cells are what SQLite round(v, 3) gave before the port', async () => {
    const raw = rawSqlite(dbs[0]!.db);
    const before = raw
      .prepare(
        `SELECT round(lng, 3) AS x, round(lat, 3) AS y, count(*) AS n FROM events
         WHERE grid_id >= ? AND grid_id < ? AND received_at >= ? AND received_at < ? GROUP BY x, y`,
      )
      .all('3413', '3413:', T0, T0 + 7 * DAY) as { x: number | null; y: number | null; n: number }[];
    const after = await new CockpitQueries(dbs[0]!.db).heat('341300', T0, T0 + 7 * DAY, null);
    const key = (c: { x: number | null; y: number | null }) => `${c.x},${c.y}`;
    expect(new Map(after.map((c) => [key(c), c.n]))).toEqual(new Map(before.map((c) => [key(c), c.n])));
  });
});
