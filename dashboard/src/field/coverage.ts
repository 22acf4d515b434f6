import { scopeSql } from '../alerts/scope.js';
import type { SqlExec } from '../store/sql/sql-db.js';

/** How many check-in points there were to visit, and how many were visited. */
export interface Coverage {
  points: number;
  visited: number;
}

type Counts = Map<string, Coverage>;

const add = (m: Counts, key: string, field: keyof Coverage, n: unknown) => {
  const row = m.get(key) ?? m.set(key, { points: 0, visited: 0 }).get(key)!;
  row[field] += Number(n);
};

/**
 * Check-in coverage for [from, to) inside `scope` (the plan's 定点签到):
 * per grid, the points of the routes in use during the period against the
 * distinct points checked in at; per worker, the points of the routes they
 * patrolled against the distinct points they checked in at. A point counts
 * once however often it was visited, so coverage never passes 100 %.
 */
export async function checkinCoverage(
  db: SqlExec,
  scope: readonly string[],
  from: number,
  to: number,
): Promise<{ grids: Counts; workers: Counts }> {
  const rs = scopeSql('r.grid_id', scope);
  const ps = scopeSql('p.grid_id', scope);
  const grids: Counts = new Map();
  const workers: Counts = new Map();
  // One query after the other: a PostgreSQL transaction's client runs one at a time anyway.
  const gridPoints = await db.all<{ k: string; n: number }>(
    `SELECT r.grid_id AS k, count(*) AS n FROM field_points pt JOIN field_routes r ON r.id = pt.route_id
       WHERE ${rs.sql} AND r.created_at < ? AND (r.retired_at IS NULL OR r.retired_at > ?) GROUP BY r.grid_id`,
    [...rs.params, to, from],
  );
  const gridVisited = await db.all<{ k: string; n: number }>(
    `SELECT r.grid_id AS k, count(DISTINCT c.point_id) AS n FROM field_checkins c
       JOIN field_points pt ON pt.id = c.point_id JOIN field_routes r ON r.id = pt.route_id
       WHERE ${rs.sql} AND c.at >= ? AND c.at < ? GROUP BY r.grid_id`,
    [...rs.params, from, to],
  );
  const workerPoints = await db.all<{ k: string; n: number }>(
    `SELECT p.user_id AS k, count(DISTINCT pt.id) AS n FROM field_patrols p JOIN field_points pt ON pt.route_id = p.route_id
       WHERE ${ps.sql} AND p.started_at >= ? AND p.started_at < ? GROUP BY p.user_id`,
    [...ps.params, from, to],
  );
  const workerVisited = await db.all<{ k: string; n: number }>(
    `SELECT p.user_id AS k, count(DISTINCT c.point_id) AS n FROM field_patrols p JOIN field_checkins c ON c.patrol_id = p.id
       WHERE ${ps.sql} AND p.started_at >= ? AND p.started_at < ? GROUP BY p.user_id`,
    [...ps.params, from, to],
  );
  for (const r of gridPoints) add(grids, r.k, 'points', r.n);
  for (const r of gridVisited) add(grids, r.k, 'visited', r.n);
  for (const r of workerPoints) add(workers, r.k, 'points', r.n);
  for (const r of workerVisited) add(workers, r.k, 'visited', r.n);
  return { grids, workers };
}
