import type { FieldRouteInput } from '@linli/contract';
import type { AreaIndex } from '@linli/geo';
import { scopeSql } from '../alerts/scope.js';
import type { SqlDb } from '../store/sql/sql-db.js';
import { metresToRing } from './distance.js';
import { FieldRefusal } from './errors.js';

export interface PatrolRoute {
  id: string;
  gridId: string;
  name: string;
  createdBy: string;
  createdAt: number;
  points: { id: string; seq: number; name: string; lng: number; lat: number }[];
}

/** A check-in point may sit this far outside its grid (a gate on the boundary street). */
const POINT_OUTSIDE_GRID_M = 100;

/** Patrol routes and their check-in points, per grid, defined by community staff. */
export class PatrolRoutes {
  constructor(
    private readonly db: SqlDb,
    private readonly areas: () => AreaIndex,
  ) {}

  async create(input: FieldRouteInput, by: string, now: number, newId: () => string): Promise<PatrolRoute> {
    const grid = this.areas().byCode.get(input.gridId);
    if (!grid || grid.level !== 'grid' || !grid.ring)
      throw new FieldRefusal('FIELD_NO_GRID', `没有网格 ${input.gridId}`);
    const far = input.points.flatMap((p, i) => {
      const d = metresToRing(p.lng, p.lat, grid.ring!);
      return d > POINT_OUTSIDE_GRID_M
        ? [
            `签到点 ${i + 1}「${p.name}」在网格外 ${Math.round(d)} 米 (points[${i}] lies ${Math.round(d)} m outside the grid)`,
          ]
        : [];
    });
    if (far.length) throw new FieldRefusal('FIELD_TOO_FAR', far.join('; '));
    const id = newId();
    await this.db.tx(async (t) => {
      await t.run('INSERT INTO field_routes (id, grid_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [
        id,
        input.gridId,
        input.name,
        by,
        now,
      ]);
      for (const [i, p] of input.points.entries())
        await t.run('INSERT INTO field_points (id, route_id, seq, name, lng, lat) VALUES (?, ?, ?, ?, ?, ?)', [
          newId(),
          id,
          i + 1,
          p.name,
          p.lng,
          p.lat,
        ]);
    });
    return (await this.list([input.gridId])).find((r) => r.id === id)!;
  }

  /** Routes in use inside `scope`, with their points in order. */
  async list(scope: readonly string[]): Promise<PatrolRoute[]> {
    const s = scopeSql('grid_id', scope);
    const routes = await this.db.all<{
      id: string;
      grid_id: string;
      name: string;
      created_by: string;
      created_at: number;
    }>(
      `SELECT id, grid_id, name, created_by, created_at FROM field_routes WHERE retired_at IS NULL AND ${s.sql}
       ORDER BY grid_id, id`,
      s.params,
    );
    const out: PatrolRoute[] = [];
    for (const r of routes) {
      const points = await this.db.all<{ id: string; seq: number; name: string; lng: number; lat: number }>(
        'SELECT id, seq, name, lng, lat FROM field_points WHERE route_id = ? ORDER BY seq',
        [r.id],
      );
      out.push({ id: r.id, gridId: r.grid_id, name: r.name, createdBy: r.created_by, createdAt: r.created_at, points });
    }
    return out;
  }

  /** Retires a route (kept for past patrols); false when not found inside `scope`. */
  async retire(id: string, scope: readonly string[], now: number): Promise<boolean> {
    const s = scopeSql('grid_id', scope);
    const r = await this.db.run(
      `UPDATE field_routes SET retired_at = ? WHERE id = ? AND retired_at IS NULL AND ${s.sql}`,
      [now, id, ...s.params],
    );
    return r.changes === 1;
  }
}
