import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AreaIndex, loadDemoCity } from '@linli/geo';
import { AlertService } from '../../src/alerts/index.js';
import { FieldService } from '../../src/field/field-service.js';
import { median, reviewCsv } from '../../src/field/review.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { DIALECTS, freshDb } from '../support/dialects.js';
import { JPEG, phone, pointIn } from './field-fixtures.js';

const GRID = '341302001001001';
const DAY = 86_400_000;

for (const dialect of DIALECTS)
  describe(`field retention [${dialect}]`, () => {
    let db: SqlDb;
    let dispose: () => Promise<void>;
    let t = Date.UTC(2026, 5, 1);
    beforeEach(async () => ({ db, dispose } = await freshDb(dialect)));
    afterEach(() => dispose());

    it('deletes positions and track points after the configured days, and photos with the events', async () => {
      const now = () => t;
      const alerts = new AlertService(db, { now });
      const field = new FieldService(db, () => new AreaIndex(loadDemoCity()), alerts, {
        now,
        config: { positionRetentionDays: 7 },
      });
      const user = { id: '01JD0000000000000000000001', displayName: '王网格', areaCode: GRID };
      const p = phone(now);
      const r = await field.submit(user, {
        deviceId: p.deviceId,
        actions: [
          p.action('patrol.start', { patrolId: 'patrol-0000001', position: pointIn(GRID) }),
          p.action('patrol.track', { patrolId: 'patrol-0000001', points: [{ at: t, ...pointIn(GRID, 10) }] }),
          p.action('matter.report', {
            category: '其他',
            description: '测试',
            position: pointIn(GRID),
            photos: [{ contentType: 'image/jpeg', data: JPEG }],
          }),
        ] as never,
      });
      expect(r.reply.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
      // A point stamped an hour ahead of the hub's clock is dropped, not kept beyond retention.
      const ahead = await field.submit(user, {
        deviceId: p.deviceId,
        actions: [
          p.action('patrol.track', { patrolId: 'patrol-0000001', points: [{ at: t + 3600_000, ...pointIn(GRID) }] }),
        ] as never,
      });
      expect(ahead.reply.results[0]).toMatchObject({ status: 'applied', data: { stored: 0, ahead: 1 } });
      const count = async (table: string) =>
        Number((await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);

      // Six days on: nothing is old enough.
      t += 6 * DAY;
      expect(await field.prune(t, t - 180 * DAY, 1000)).toEqual({ positions: 0, photos: 0 });
      // Eight days on: positions and the track go; the photo stays until the events' retention.
      t += 2 * DAY;
      const pruned = await field.prune(t, t - 180 * DAY, 1000);
      expect(pruned.photos).toBe(0);
      expect(await count('field_positions')).toBe(0);
      expect(await count('field_track')).toBe(0);
      expect(await count('field_photos')).toBe(1);
      expect(await field.prune(t, t + 1, 1000)).toMatchObject({ photos: 1 });
    });
  });

describe('review figures', () => {
  it('takes the median of an even and an odd count, and none of nothing', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it('writes CSV Excel opens (BOM) and never a formula from a name', () => {
    const row = {
      ...{ key: 'u1', name: '=HYPERLINK("x")', reported: 1, handled: 2, medianAcceptMs: 90_000 },
      ...{ medianResolveMs: null, overdue: 0, patrols: 1, checkins: 3, points: 4, visited: 3 },
    };
    const csv = reviewCsv({ workers: [row], grids: [] });
    expect(csv.startsWith('\ufeff')).toBe(true);
    const line = csv.split('\r\n')[1]!;
    expect(line).toBe(`网格员 worker,u1,"'=HYPERLINK(""x"")",1,2,1.5,,0,1,3,4,3`);
  });
});
