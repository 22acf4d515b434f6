import type { FieldAction } from '@linli/contract';
import type { Alert } from '../alerts/index.js';
import { AlertTables } from '../alerts/alert-tables.js';
import { toAlert } from '../alerts/rows.js';
import type { ActionContext, ActionData } from './action-context.js';
import { metresBetween, metresToRing } from './distance.js';
import { FieldRefusal } from './errors.js';
import { recordPosition } from './positions.js';

type TaskAction = Extract<FieldAction, { type: `task.${string}` }>;

/** The alert, if it is dispatched to this worker; the worker's own task is theirs wherever its grid lies. */
async function myTask(ctx: ActionContext, alertId: string): Promise<Alert> {
  const row = await new AlertTables(ctx.t).byId(alertId);
  if (!row || row.assignee_type !== 'user' || row.assignee_id !== ctx.user.id)
    throw new FieldRefusal('FIELD_NOT_ASSIGNED', `告警 ${alertId} 未派发给您`, { alertId });
  return toAlert(row);
}

/**
 * Accept → on my way → arrived (position checked against the grid) →
 * resolved with a note and photos. Each step goes through the alert service
 * (history, version) inside the action's transaction.
 */
export async function applyTaskAction(ctx: ActionContext, a: TaskAction): Promise<ActionData> {
  const task = await myTask(ctx, a.alertId);
  const scope = [task.gridId];
  const by = { actor: ctx.user.id };
  switch (a.type) {
    case 'task.accept':
      ctx.changed.push(await ctx.alerts.acknowledge(a.alertId, scope, { ...by, note: '网格员已接单' }));
      return { alertId: a.alertId };
    case 'task.en_route': {
      if (a.position) await recordPosition(ctx, a.position, task.gridId);
      ctx.changed.push(await ctx.alerts.step(a.alertId, scope, { ...by, note: '正在前往' }, 'en_route'));
      return { alertId: a.alertId };
    }
    case 'task.arrive': {
      const d = arrivalDistance(ctx, task, a.position);
      if (d > ctx.config.arrivalToleranceM)
        throw new FieldRefusal(
          'FIELD_NOT_THERE',
          `当前位置距网格 ${Math.round(d)} 米，超过 ${ctx.config.arrivalToleranceM} 米，不能确认到场`,
          { distanceM: Math.round(d) },
        );
      await recordPosition(ctx, a.position, task.gridId);
      const note = d === 0 ? '已到场（位于网格内）' : `已到场（距网格 ${Math.round(d)} 米）`;
      ctx.changed.push(await ctx.alerts.step(a.alertId, scope, { ...by, note }, 'arrive'));
      return { alertId: a.alertId, distanceM: Math.round(d) };
    }
    case 'task.resolve': {
      const ids = await ctx.photos.putAll(
        a.photos ?? [],
        { alertId: a.alertId, gridId: task.gridId, userId: ctx.user.id, purpose: 'resolve' },
        ctx.newId,
        ctx.now,
      );
      if (a.position) await recordPosition(ctx, a.position, task.gridId);
      const note = ids.length ? `${a.note}（附照片 ${ids.length} 张）` : a.note;
      ctx.changed.push(await ctx.alerts.resolve(a.alertId, scope, { ...by, note }));
      return { alertId: a.alertId, photos: ids.length };
    }
  }
}

/** Metres from the grid polygon (0 inside), or from the alert's own position when that is nearer. */
function arrivalDistance(ctx: ActionContext, task: Alert, p: { lng: number; lat: number }): number {
  const ring = ctx.areas.byCode.get(task.gridId)?.ring;
  const toGrid = ring ? metresToRing(p.lng, p.lat, ring) : Infinity;
  return Math.min(toGrid, metresBetween(p, task));
}
