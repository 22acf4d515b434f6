import type { FieldPosition } from '@linli/contract';
import type { ActionContext } from './action-context.js';
import type { SqlExec } from '../store/sql/sql-db.js';
import { scopeSql } from '../alerts/scope.js';

/**
 * The worker's last known position, kept only as one row per worker (the
 * track of a patrol is kept with the patrol) and shown only while a patrol or
 * a task of theirs is open (see `visibleWorkers`).
 */
export async function recordPosition(
  ctx: ActionContext,
  pos: FieldPosition & { at?: number },
  gridId: string,
  extra: { type?: 'position' | 'checkin' | 'patrol_start' | 'patrol_stop'; patrolId?: string; pointId?: string } = {},
): Promise<void> {
  // The phone's clock may run ahead: a position is never newer than the hub's now (retention relies on it).
  const at = Math.min(pos.at ?? ctx.now, ctx.now);
  await ctx.t.run(
    `INSERT INTO field_positions (user_id, grid_id, lng, lat, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET grid_id = excluded.grid_id, lng = excluded.lng, lat = excluded.lat,
       at = excluded.at WHERE field_positions.at <= excluded.at`,
    [ctx.user.id, gridId, pos.lng, pos.lat, at],
  );
  ctx.updates.push({
    type: extra.type ?? 'position',
    userId: ctx.user.id,
    name: ctx.user.displayName.slice(0, 64),
    gridId,
    at,
    lng: pos.lng,
    lat: pos.lat,
    ...(extra.patrolId ? { patrolId: extra.patrolId } : {}),
    ...(extra.pointId ? { pointId: extra.pointId } : {}),
  });
}

export interface WorkerPosition {
  userId: string;
  gridId: string;
  lng: number;
  lat: number;
  at: number;
  /** The open patrol, if the position is shown because of one. */
  patrolId: string | null;
  /** Open tasks assigned to the worker. */
  openTasks: number;
}

/**
 * Workers inside `scope` whose position may be shown now: a patrol of theirs
 * is open, or a task dispatched to them is not yet resolved; and the position
 * is fresher than `since`.
 */
export async function visibleWorkers(db: SqlExec, scope: readonly string[], since: number): Promise<WorkerPosition[]> {
  const s = scopeSql('p.grid_id', scope);
  const rows = await db.all<{
    user_id: string;
    grid_id: string;
    lng: number;
    lat: number;
    at: number;
    patrol_id: string | null;
    open_tasks: number;
  }>(
    `SELECT p.user_id, p.grid_id, p.lng, p.lat, p.at,
       (SELECT max(f.id) FROM field_patrols f WHERE f.user_id = p.user_id AND f.ended_at IS NULL) AS patrol_id,
       (SELECT count(*) FROM alert_alerts a WHERE a.assignee_type = 'user' AND a.assignee_id = p.user_id
          AND a.state IN ('dispatched', 'acknowledged')) AS open_tasks
     FROM field_positions p WHERE ${s.sql} AND p.at >= ? ORDER BY p.at DESC`,
    [...s.params, since],
  );
  return rows
    .map((r) => ({
      ...{ userId: r.user_id, gridId: r.grid_id, lng: r.lng, lat: r.lat, at: r.at },
      ...{ patrolId: r.patrol_id, openTasks: Number(r.open_tasks) },
    }))
    .filter((w) => w.patrolId !== null || w.openTasks > 0);
}

/** Retention: positions and track points older than `olderThan` are deleted. */
export async function prunePositions(db: SqlExec, olderThan: number, limit: number): Promise<number> {
  const a = await db.run('DELETE FROM field_positions WHERE at < ?', [olderThan]);
  const b = await db.run(
    `DELETE FROM field_track WHERE (patrol_id, at) IN
       (SELECT patrol_id, at FROM field_track WHERE at < ? ORDER BY at LIMIT ?)`,
    [olderThan, limit],
  );
  return a.changes + b.changes;
}
