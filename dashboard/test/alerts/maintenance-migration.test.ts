import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { migrate, MIGRATIONS_DIR } from '../../src/store/sql/migrate.js';
import { PgDb } from '../../src/store/sql/pg-db.js';
import type { Dialect, SqlDb } from '../../src/store/sql/sql-db.js';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';
import { DIALECTS, TEST_PG_URL } from '../support/dialects.js';
import { CITY, GRID_A, MIN, smoke, T0, tilt } from './fixtures.js';

const DAY = 24 * 60 * MIN;

/** The migrations before 014, as a hub before this change had them. */
function migrationsBefore(version: number, dialect: Dialect): string {
  const dir = mkdtempSync(join(tmpdir(), 'linli-migs-'));
  mkdirSync(join(dir, dialect));
  for (const f of readdirSync(join(MIGRATIONS_DIR, dialect)))
    if (Number(f.slice(0, 3)) < version) copyFileSync(join(MIGRATIONS_DIR, dialect, f), join(dir, dialect, f));
  return dir;
}

for (const dialect of DIALECTS) {
  describe(`maintenance migration (014) [${dialect}]`, () => {
    let db: SqlDb;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    afterEach(async () => {
      if (dialect === 'postgres') await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    });

    it('clamps windows longer than 24 h and holds never-approved wide ones pending', async () => {
      db =
        dialect === 'sqlite'
          ? new SqliteDb(join(mkdtempSync(join(tmpdir(), 'linli-mig-')), 'hub.sqlite'))
          : new PgDb({ url: TEST_PG_URL, schema });
      await migrate(db, () => {}, migrationsBefore(14, dialect));
      const insert = (id: string, prefix: string, device: string | null, kind: string | null, ends: number) =>
        db.run(
          `INSERT INTO alert_windows (id, area_prefix, device_id, kind, starts_at, ends_at, reason, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'x', 'leader', ?)`,
          [id, prefix, device, kind, T0, ends, T0],
        );
      await insert('ten-years', '341302001', null, null, T0 + 3650 * DAY);
      await insert('device-day', GRID_A, 'smoke-01', null, T0 + 2 * DAY);
      await insert('kind-hour', GRID_A.slice(0, 12), null, 'tilt.alarm', T0 + 60 * MIN);
      await migrate(db);

      const svc = new AlertService(db, { now: () => T0 });
      const all = Object.fromEntries((await svc.windows.list(CITY)).map((w) => [w.id, w]));
      expect(all['ten-years']).toMatchObject({
        status: 'pending',
        wide: true,
        endsAt: T0 + DAY,
        clampedFrom: T0 + 3650 * DAY,
      });
      expect(all['device-day']).toMatchObject({ status: 'approved', endsAt: T0 + DAY, clampedFrom: T0 + 2 * DAY });
      expect(all['kind-hour']).toMatchObject({ status: 'approved', endsAt: T0 + 60 * MIN, clampedFrom: null });
      // The street-wide window silences nothing until approved; the smoke alarm in the device window is only marked.
      expect((await svc.ingest([tilt({ deviceId: 'tilt-1', receivedAt: T0 + MIN })]))[0]!.state).toBe('suppressed');
      expect((await svc.ingest([tilt({ deviceId: 'tilt-2', gridId: '341302001002001' })]))[0]!.state).toBe('raised');
      expect((await svc.ingest([smoke({ receivedAt: T0 + MIN })]))[0]).toMatchObject({
        state: 'raised',
        duringWindowId: 'device-day',
      });
    });
  });
}
