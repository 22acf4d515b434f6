import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { CockpitQueries } from '../../src/api/routes/cockpit-queries.js';
import { openSqlDb } from '../../src/store/open-store.js';
import { ROLLUP_MIGRATION } from '../../src/store/rollups/backfill.js';
import { migrate, MIGRATIONS_DIR } from '../../src/store/sql/migrate.js';
import { PgDb } from '../../src/store/sql/pg-db.js';
import type { Dialect, SqlDb } from '../../src/store/sql/sql-db.js';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { QUARTER, WEEK } from '../../src/store/rollups/spans.js';
import { DIALECTS, TEST_PG_URL } from '../support/dialects.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T00:00:00+08:00');

/** The migrations before the roll-ups, as a hub before this change had them. */
function migrationsBefore(version: number, dialect: Dialect): string {
  const dir = mkdtempSync(join(tmpdir(), 'linli-migs-'));
  mkdirSync(join(dir, dialect));
  for (const f of readdirSync(join(MIGRATIONS_DIR, dialect)))
    if (Number(f.slice(0, 3)) < version) copyFileSync(join(MIGRATIONS_DIR, dialect, f), join(dir, dialect, f));
  return dir;
}

for (const dialect of DIALECTS) {
  describe(`roll-up backfill (migration ${ROLLUP_MIGRATION}) [${dialect}]`, () => {
    const open: SqlDb[] = [];
    const schema = `t_${randomBytes(6).toString('hex')}`;
    afterEach(async () => {
      if (dialect === 'postgres') await open[0]!.exec(`DROP SCHEMA ${schema} CASCADE`);
      for (const db of open.splice(0).reverse()) await db.close();
    });

    it('counts the events a database already holds, day by day with progress, equal to a scan', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'linli-backfill-'));
      const before =
        dialect === 'sqlite' ? new SqliteDb(join(dataDir, 'hub.sqlite')) : new PgDb({ url: TEST_PG_URL, schema });
      open.push(before);
      await migrate(before, () => {}, migrationsBefore(ROLLUP_MIGRATION, dialect));
      // Three days with events, far apart (the backfill skips the empty days between), some without a position.
      let seq = 0;
      for (const day of [0, 1, 40])
        for (let i = 0; i < 50; i++) {
          const at = T0 + day * DAY + i * 29 * 60_000;
          const pos = i % 10 === 9 ? [null, null] : [116.98 + (i % 7) * 0.0007, 33.64 + (i % 5) * 0.0005];
          seq++;
          await before.run(
            `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              'gw',
              seq,
              `e${seq}`,
              i % 2 ? 'gate.pass' : 'meter.reading',
              'info',
              'd',
              `34130200100100${i % 3}`,
              at,
              at,
              '{}',
              ...pos,
            ],
          );
        }
      if (dialect === 'sqlite') await before.close();
      const progress: { events: number; total: number }[] = [];
      const db = await openSqlDb({
        ...(dialect === 'sqlite' ? { dataDir } : { database: TEST_PG_URL, schema }),
        onBackfill: (p) => progress.push(p),
      });
      open.push(db);
      expect(progress.map((p) => p.events)).toEqual([50, 100, 150]);
      expect(progress.every((p) => p.total === 150)).toBe(true);
      const q = new CockpitQueries(db);
      for (const [from, to] of [
        [T0, T0 + 41 * DAY],
        [T0 + 5 * HOUR + 17, T0 + DAY + 3 * HOUR],
        [T0 + 40 * DAY, T0 + 40 * DAY + 7 * HOUR],
      ] as const)
        for (const area of ['341300', '341302001001001']) {
          expect(await q.heat(area, from, to, null)).toEqual(await q.scan.heat(area, from, to, null));
          expect(await q.countEvents(area, from, to)).toBe(await q.scan.countEvents(area, from, to));
        }
      expect(await q.countEvents('341300', T0, T0 + 41 * DAY)).toBe(150);
      expect((await db.get<{ n: number }>('SELECT count(*) AS n FROM rollup_grids'))!.n).toBeGreaterThan(0);
    });

    it('gives a database rolled up by days and hours only its quarters and weeks (migration 021), as the ingest counts them', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'linli-weeks-'));
      const opts = dialect === 'sqlite' ? { dataDir } : { database: TEST_PG_URL, schema };
      const db = await openSqlDb(opts);
      open.push(db);
      const store = new SqlHubStore(db);
      await store.upsertGateway('gw', 'x'.repeat(64), '3413');
      // Five weeks of events, three a day at odd hours, in two grids and two kinds.
      const events = Array.from({ length: 105 }, (_, i) => {
        const at = T0 + Math.floor(i / 3) * DAY + (i % 3) * 7 * HOUR + 13 * 60_000;
        return {
          v: 1,
          id: `w${i}`,
          gatewayId: 'gw',
          seq: i + 1,
          deviceId: 'd',
          kind: i % 2 ? 'gate.pass' : 'meter.reading',
          severity: 'info',
          deviceTime: at,
          receivedAt: at,
          location: { gridId: `34130200100100${i % 2}`, lng: 116.98 + (i % 4) * 0.001, lat: 33.64 },
          payload: {},
        } as unknown as LinliEvent;
      });
      await store.ingest('gw', events);
      const rows = async () => ({
        cells: await db.all('SELECT * FROM rollup_cells ORDER BY span_ms, bucket_at, grid_id, kind, cx, cy'),
        grids: await db.all('SELECT * FROM rollup_grids ORDER BY span_ms, bucket_at, grid_id'),
      });
      const counted = await rows();
      const ofSpan = (span: number) => counted.grids.filter((g) => Number((g as { span_ms: number }).span_ms) === span);
      expect(ofSpan(WEEK).length).toBe(2 * 6);
      // Events at 00:13, 07:13 and 14:13 each day: three quarters a day, each in one of the two grids.
      expect(ofSpan(QUARTER).length).toBe(105);
      // What a hub before quarters and weeks held: the same rows without them, at migration 020.
      for (const table of ['rollup_cells', 'rollup_grids'])
        await db.run(`DELETE FROM ${table} WHERE span_ms IN (?, ?)`, [QUARTER, WEEK]);
      await db.run('DROP TABLE rollup_generations');
      await db.run('DROP TABLE rollup_sealed');
      await db.run('DELETE FROM schema_migrations WHERE version >= 21');
      const applied: number[] = [];
      await migrate(db, (m) => applied.push(m.version));
      expect(applied).toEqual([21, 22, 23]);
      expect(await rows()).toEqual(counted);
    });
  });
}
