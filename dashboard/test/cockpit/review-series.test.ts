import { describe, expect, it } from 'vitest';
import { alertSources } from '../../src/api/routes/alert-source-routes.js';
import { bucketFor, ReviewSeriesQueries, slaLines } from '../../src/api/routes/review-series-routes.js';
import { DEFAULT_ALERT_CONFIG } from '../../src/alerts/config.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { describeEachDialect } from '../support/dialects.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = 1_760_000_000_000;
const G1 = '341302001001001';
const G2 = '341302001001002';
const OTHER = '341302002001001';

let seq = 0;
async function event(db: SqlDb, grid: string, at: number, kind = 'smoke.alarm', payload: unknown = {}) {
  seq++;
  const id = `01K${String(seq).padStart(23, '0')}`;
  await db.run(
    `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ['gw', seq, id, kind, 'info', 'dev', grid, at, at, JSON.stringify({ id, kind, payload }), 117, 33.6],
  );
  return id;
}

async function alert(
  db: SqlDb,
  a: { id: string; grid: string; at: number; kind?: string; device?: string; firstEvent?: string },
  history: [string, number][] = [],
) {
  await db.run(
    `INSERT INTO alert_alerts (id, state, level, version, kind, severity, gateway_id, device_id, grid_id, lng, lat, count,
       first_event_id, first_event_at, last_event_at, raised_at, state_since, updated_at)
     VALUES (?, 'raised', 0, 1, ?, 'critical', 'gw', ?, ?, 117, 33.6, 1, ?, ?, ?, ?, ?, ?)`,
    [a.id, a.kind ?? 'smoke.alarm', a.device ?? 'dev', a.grid, a.firstEvent ?? 'e', a.at, a.at, a.at, a.at, a.at],
  );
  let n = 0;
  for (const [action, at] of history)
    await db.run(
      'INSERT INTO alert_history (alert_id, seq, at, actor, action, to_state, level) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [a.id, ++n, at, 'u', action, action, 0],
    );
}

describe('review series buckets and SLA lines', () => {
  it('counts by hour up to two days and by day beyond; the SLA adds the timers up to each step', () => {
    expect(bucketFor(DAY)).toBe(HOUR);
    expect(bucketFor(2 * DAY)).toBe(HOUR);
    expect(bucketFor(7 * DAY)).toBe(DAY);
    expect(slaLines(DEFAULT_ALERT_CONFIG)).toEqual({
      default: { ackMs: 45 * 60_000, resolveMs: 45 * 60_000 + DAY },
      critical: { ackMs: 8 * 60_000, resolveMs: 128 * 60_000 },
    });
  });
});

describeEachDialect('review series', (ctx) => {
  it('counts events and alerts per day for the period and the one before, inside the scope only', async () => {
    const db = ctx.db;
    await event(db, G1, T0 + 10);
    await event(db, G1, T0 + DAY + 5);
    await event(db, G2, T0 + DAY + 6);
    await event(db, G1, T0 - DAY); // the previous period's first…
    await event(db, G1, T0 - 3 * DAY); // …and last day
    await event(db, OTHER, T0 + 1); // another street
    await event(db, G1, T0 + 3 * DAY); // after the period
    await alert(db, { id: 'a1', grid: G1, at: T0 + 2 * DAY + 1 });
    await alert(db, { id: 'a0', grid: G2, at: T0 - 2 * DAY });
    await alert(db, { id: 'ax', grid: OTHER, at: T0 + 1 });
    const q = new ReviewSeriesQueries(db);
    expect(await q.period('341302001', T0, T0 + 3 * DAY, DAY)).toEqual({
      from: T0,
      to: T0 + 3 * DAY,
      events: [1, 2, 0],
      alerts: [0, 0, 1],
    });
    expect(await q.period('341302001', T0 - 3 * DAY, T0, DAY)).toEqual({
      from: T0 - 3 * DAY,
      to: T0,
      events: [1, 0, 1],
      alerts: [0, 1, 0],
    });
    expect(await q.grids('341302001', T0, T0 + 3 * DAY, DAY)).toEqual([
      { grid: G1, events: [1, 1, 0], alerts: [0, 0, 1] },
      { grid: G2, events: [0, 1, 0], alerts: [0, 0, 0] },
    ]);
  });

  it('measures each alert from raise to first acknowledge and first resolve, ascending, unhandled ones left out', async () => {
    const db = ctx.db;
    await alert(db, { id: 'a1', grid: G1, at: T0 }, [
      ['dispatch', T0 + 60_000],
      ['acknowledge', T0 + 300_000],
      ['resolve', T0 + HOUR],
    ]);
    await alert(db, { id: 'a2', grid: G2, at: T0 + 10 }, [
      ['acknowledge', T0 + 10 + 120_000],
      ['acknowledge', T0 + 10 + 999_000],
    ]);
    await alert(db, { id: 'a3', grid: G2, at: T0 + 20 });
    await alert(db, { id: 'ax', grid: OTHER, at: T0 }, [['acknowledge', T0 + 1000]]);
    const q = new ReviewSeriesQueries(db);
    expect(await q.responseTimes('341302001', T0, T0 + DAY)).toEqual({
      ackMs: [120_000, 300_000],
      resolveMs: [HOUR],
    });
  });

  it("names a local rule's alert by its rule and every alert by its device's declared type, inside the scope only", async () => {
    const db = ctx.db;
    const ruleEvent = await event(db, G1, T0, 'rule.alert', { rule: 'smoke-gas', text: '烟感：safety-01' });
    await alert(db, { id: 'r1', grid: G1, at: T0, kind: 'rule.alert', device: 'safety-01', firstEvent: ruleEvent });
    await alert(db, { id: 'd1', grid: G2, at: T0, device: 'lift-01' });
    await alert(db, { id: 'x1', grid: OTHER, at: T0, device: 'safety-01' });
    const declared: [string, string][] = [
      ['safety-01', 'di-safety-sensor'],
      ['lift-01', 'elevator-monitor'],
    ];
    for (const [device, type] of declared)
      await db.run(
        'INSERT INTO gateway_devices (gateway_id, device_id, type, grid_id, declared_at) VALUES (?, ?, ?, ?, ?)',
        ['gw', device, type, G1, T0],
      );
    const found = await alertSources(db, '341302001', ['r1', 'd1', 'x1', 'nope']);
    expect(found.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'd1', rule: null, deviceType: 'elevator-monitor' },
      { id: 'r1', rule: 'smoke-gas', deviceType: 'di-safety-sensor' },
    ]);
  });
});
