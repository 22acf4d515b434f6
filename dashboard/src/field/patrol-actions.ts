import { type FieldAction, inScope } from '@linli/contract';
import type { ActionContext, ActionData } from './action-context.js';
import { metresBetween } from './distance.js';
import { FieldRefusal } from './errors.js';
import { recordPosition } from './positions.js';

/** How far ahead of the hub's clock a track point may be stamped. */
const CLOCK_AHEAD_MS = 5 * 60_000;

type PatrolAction = Extract<FieldAction, { type: `patrol.${string}` }>;
interface PatrolRow {
  id: string;
  user_id: string;
  route_id: string | null;
  grid_id: string;
  ended_at: number | null;
}

async function myPatrol(ctx: ActionContext, id: string): Promise<PatrolRow> {
  const p = await ctx.t.get<PatrolRow>(
    'SELECT id, user_id, route_id, grid_id, ended_at FROM field_patrols WHERE id = ?',
    [id],
  );
  if (!p || p.user_id !== ctx.user.id) throw new FieldRefusal('FIELD_NO_PATROL', `没有巡查 ${id}`, { patrolId: id });
  return p;
}

/** The grid a patrol or visit belongs to: the route's, else where the worker stands, else their own grid. */
function gridFor(ctx: ActionContext, pos: { lng: number; lat: number } | undefined): string {
  const here = pos ? ctx.areas.gridAt(pos.lng, pos.lat) : null;
  if (here && inScope(ctx.user.areaCode, here.code)) return here.code;
  if (ctx.user.areaCode.length === 15) return ctx.user.areaCode;
  throw new FieldRefusal('FIELD_NO_GRID', '无法确定网格：请打开定位或选择巡查路线');
}

/** Start, check in, record the track, log a visit, stop. */
export async function applyPatrolAction(ctx: ActionContext, a: PatrolAction): Promise<ActionData> {
  switch (a.type) {
    case 'patrol.start': {
      if (await ctx.t.get('SELECT 1 AS one FROM field_patrols WHERE id = ?', [a.patrolId]))
        throw new FieldRefusal('FIELD_PATROL_EXISTS', `巡查 ${a.patrolId} 已存在`);
      let grid: string;
      if (a.routeId) {
        const r = await ctx.t.get<{ grid_id: string }>(
          'SELECT grid_id FROM field_routes WHERE id = ? AND retired_at IS NULL',
          [a.routeId],
        );
        if (!r || !inScope(ctx.user.areaCode, r.grid_id))
          throw new FieldRefusal('FIELD_UNKNOWN_ROUTE', `没有巡查路线 ${a.routeId}`);
        grid = r.grid_id;
      } else grid = gridFor(ctx, a.position);
      await ctx.t.run(
        'INSERT INTO field_patrols (id, user_id, route_id, grid_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?, NULL)',
        [a.patrolId, ctx.user.id, a.routeId ?? null, grid, a.at],
      );
      if (a.position)
        await recordPosition(ctx, { ...a.position, at: a.at }, grid, { type: 'patrol_start', patrolId: a.patrolId });
      return { patrolId: a.patrolId, gridId: grid };
    }
    case 'patrol.checkin': {
      const p = await myPatrol(ctx, a.patrolId);
      if (p.ended_at !== null) throw new FieldRefusal('FIELD_PATROL_CLOSED', '巡查已结束');
      const point = await ctx.t.get<{ id: string; lng: number; lat: number; name: string; grid_id: string }>(
        `SELECT p.id, p.lng, p.lat, p.name, r.grid_id FROM field_points p JOIN field_routes r ON r.id = p.route_id
         WHERE p.id = ? AND r.grid_id = ?`,
        [a.pointId, p.grid_id],
      );
      if (!point) throw new FieldRefusal('FIELD_UNKNOWN_POINT', `本巡查的网格没有签到点 ${a.pointId}`);
      const d = metresBetween(a.position, point);
      if (d > ctx.config.checkInRadiusM)
        throw new FieldRefusal(
          'FIELD_TOO_FAR',
          `距签到点"${point.name}" ${Math.round(d)} 米，须在 ${ctx.config.checkInRadiusM} 米内`,
          { distanceM: Math.round(d) },
        );
      if (await ctx.t.get('SELECT 1 AS one FROM field_checkins WHERE patrol_id = ? AND point_id = ?', [p.id, point.id]))
        throw new FieldRefusal('FIELD_ALREADY_CHECKED_IN', `"${point.name}"本次巡查已签到`);
      await ctx.t.run(
        'INSERT INTO field_checkins (patrol_id, point_id, at, lng, lat, distance_m) VALUES (?, ?, ?, ?, ?, ?)',
        [p.id, point.id, a.at, a.position.lng, a.position.lat, d],
      );
      await recordPosition(ctx, { ...a.position, at: a.at }, p.grid_id, {
        type: 'checkin',
        patrolId: p.id,
        pointId: point.id,
      });
      return { pointId: point.id, distanceM: Math.round(d) };
    }
    case 'patrol.track': {
      const p = await myPatrol(ctx, a.patrolId);
      let stored = 0;
      // Points stamped ahead of the hub's clock (a phone with a wrong clock) would outlive retention: dropped.
      const points = a.points.filter((pt) => pt.at <= ctx.now + CLOCK_AHEAD_MS);
      for (const pt of points) {
        const r = await ctx.t.run(
          'INSERT INTO field_track (patrol_id, at, lng, lat, accuracy) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [p.id, pt.at, pt.lng, pt.lat, pt.accuracy ?? null],
        );
        stored += r.changes;
      }
      const last = [...points].sort((x, y) => x.at - y.at).at(-1);
      if (last && p.ended_at === null) await recordPosition(ctx, last, p.grid_id, { patrolId: p.id });
      return { stored, duplicates: points.length - stored, ahead: a.points.length - points.length };
    }
    case 'patrol.visit': {
      let grid: string;
      if (a.patrolId) grid = (await myPatrol(ctx, a.patrolId)).grid_id;
      else grid = gridFor(ctx, a.position);
      const id = ctx.newId();
      await ctx.t.run(
        'INSERT INTO field_visits (id, user_id, patrol_id, place_id, outcome, grid_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, ctx.user.id, a.patrolId ?? null, a.placeId, a.outcome, grid, a.at],
      );
      return { visitId: id };
    }
    case 'patrol.stop': {
      const p = await myPatrol(ctx, a.patrolId);
      if (p.ended_at !== null) throw new FieldRefusal('FIELD_PATROL_CLOSED', '巡查已结束');
      await ctx.t.run('UPDATE field_patrols SET ended_at = ? WHERE id = ?', [a.at, p.id]);
      if (a.position)
        await recordPosition(ctx, { ...a.position, at: a.at }, p.grid_id, { type: 'patrol_stop', patrolId: p.id });
      return { patrolId: p.id };
    }
  }
}
