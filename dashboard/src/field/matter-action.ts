import { type FieldAction, inScope } from '@linli/contract';
import { AlertTables } from '../alerts/alert-tables.js';
import { slaFor } from '../alerts/config.js';
import { toAlert } from '../alerts/rows.js';
import type { ActionContext, ActionData } from './action-context.js';
import { FieldRefusal } from './errors.js';

/** Matters are alerts from this source: `gateway_id` 'field', `device_id` the reporter's user id in lower case. */
export const FIELD_SOURCE = 'field';
export const MATTER_KIND = 'field.matter';

/**
 * A matter (事项上传) becomes an alert of kind `field.matter` in the grid the
 * position falls in, raised by the reporter, with the same SLA timers and
 * escalation as a device's alarm (`sla.rules` may name `field.matter`).
 */
export async function reportMatter(
  ctx: ActionContext,
  a: Extract<FieldAction, { type: 'matter.report' }>,
): Promise<ActionData> {
  if (!ctx.config.categories.includes(a.category))
    throw new FieldRefusal(
      'FIELD_UNKNOWN_CATEGORY',
      `类别"${a.category}"不在列表中：${ctx.config.categories.join('、')}`,
    );
  const grid = ctx.areas.gridAt(a.position.lng, a.position.lat);
  if (!grid) throw new FieldRefusal('FIELD_NO_GRID', '该位置不在任何网格内，请在地图上选点');
  if (!inScope(ctx.user.areaCode, grid.code))
    throw new FieldRefusal('FIELD_OUTSIDE_AREA', `该位置属于网格 ${grid.name}，不在您的辖区内`, { gridId: grid.code });
  const tables = new AlertTables(ctx.t);
  const id = ctx.newId();
  const pinned = a.position.source === 'pin';
  const sla = slaFor(ctx.alerts.config, MATTER_KIND, 'warning');
  // The reporter's id as a device id: lower case, as the contract's alert schema (ID_PATTERN) wants
  // (ULIDs are case-insensitive); the cockpit drops an alert that does not match. field_matters keeps the id as is.
  const deviceId = ctx.user.id.toLowerCase();
  await tables.insert({
    ...{ id, kind: MATTER_KIND, severity: 'warning', gatewayId: FIELD_SOURCE, deviceId },
    ...{ gridId: grid.code, lng: a.position.lng, lat: a.position.lat, eventId: id },
    ...{ at: a.at, now: ctx.now, dueAt: ctx.now + sla.dispatchMs, duringWindowId: null },
  });
  await ctx.t.run(
    `INSERT INTO field_matters (alert_id, category, description, reported_by, reported_at, position_source)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [id, a.category, a.description, ctx.user.id, a.at, pinned ? 'pin' : 'gps'],
  );
  const photos = await ctx.photos.putAll(
    a.photos ?? [],
    { alertId: id, gridId: grid.code, userId: ctx.user.id, purpose: 'matter' },
    ctx.newId,
    ctx.now,
  );
  await tables.addHistory({
    ...{ alertId: id, at: ctx.now, actor: ctx.user.id, action: 'raise', from: null, to: 'raised', level: 0 },
    note:
      `上报事项【${a.category}】${a.description}` +
      (photos.length ? `（附照片 ${photos.length} 张）` : '') +
      (pinned ? '（位置为地图选点，非定位）' : ''),
  });
  ctx.changed.push(toAlert((await tables.byId(id))!));
  return { alertId: id, gridId: grid.code, photos: photos.length };
}
