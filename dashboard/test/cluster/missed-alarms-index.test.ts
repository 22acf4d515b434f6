import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSED_ALARMS_SQL } from '../../src/cluster/chores.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { freshDb } from '../support/dialects.js';

/**
 * The leader's sweep for alarms stored but not raised runs every second over
 * the last 15 minutes of stored events. It must read the alarms of that
 * window, not every event of it: SQLite's plan for the very statement the
 * sweep runs goes through the partial index of alarm-severity events
 * (migration 020), and the sweep still finds exactly the unlinked alarms
 * among thousands of ordinary events.
 */
describe('missed-alarm sweep', () => {
  let db: SqlDb;
  let dispose: () => Promise<void>;
  const T0 = 1_780_000_000_000;

  beforeAll(async () => {
    ({ db, dispose } = await freshDb('sqlite'));
    const row = (seq: number, severity: string) => {
      const id = `e-${seq}`;
      const body = JSON.stringify({ id, seq, severity });
      return [
        'gw-1',
        seq,
        id,
        'meter.reading',
        severity,
        'dev-1',
        '341302001001001',
        T0 + seq,
        T0 + seq,
        body,
        117,
        33,
      ];
    };
    await db.tx(async (t) => {
      for (let seq = 1; seq <= 3000; seq++) {
        const severity = seq % 1000 === 0 ? 'critical' : seq % 700 === 0 ? 'warning' : 'info';
        await t.run(
          `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          row(seq, severity),
        );
      }
      // One alarm already taken into an alert: the sweep leaves it.
      await t.run('INSERT INTO alert_events (event_id, alert_id, role, at) VALUES (?, ?, ?, ?)', [
        'e-1000',
        'a-1',
        'raise',
        T0,
      ]);
    });
  });
  afterAll(() => dispose());

  it('reads the window through the partial index of alarm-severity events', async () => {
    const plan = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${MISSED_ALARMS_SQL}`, [T0, T0 + 10_000]);
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH e USING INDEX events_alarms_by_stored \(stored_at>\? AND stored_at<\?\)/,
    );
  });

  it('finds the unlinked warning and critical events of the window, oldest first, and nothing else', async () => {
    const rows = await db.all<{ body: string }>(MISSED_ALARMS_SQL, [T0 + 1, T0 + 2_500]);
    expect(rows.map((r) => (JSON.parse(r.body) as { seq: number }).seq)).toEqual([700, 1400, 2000, 2100]);
  });
});
