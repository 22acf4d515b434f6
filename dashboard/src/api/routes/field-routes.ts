import {
  can,
  FieldBatchSchema,
  type FieldRouteInput,
  FieldRouteInputSchema,
  inScope,
  scopePrefix,
} from '@linli/contract';
import { Type } from '@sinclair/typebox';
import type { Principal } from '../../auth/auth-service.js';
import { FieldRefusal } from '../../field/errors.js';
import { reviewCsv, reviewFigures } from '../../field/review.js';
import { ApiError, notFound } from '../api-error.js';
import { raw, type Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const scopeOf = (p: Principal) => [scopePrefix(p.user.areaCode)];
const ULID = '^[0-9A-HJKMNP-TV-Z]{26}$';
/** Photos travel inside the actions (base64): a batch with a few of them. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

const refusalToApi = (err: unknown): never => {
  if (err instanceof FieldRefusal) throw new ApiError(400, err.code, err.message);
  throw err;
};

/**
 * Field work over REST (docs/field.md): the phone's action batches (exactly
 * once, in order), its task list, matters, patrol routes, who is on patrol,
 * photos (audited when opened) and whom to dispatch to.
 */
export function fieldRoutes(d: ApiDeps): Route[] {
  const f = d.field;
  return [
    {
      method: 'POST',
      path: '/api/field/actions',
      tag: 'field',
      access: 'field_work',
      audits: ['field:actions'],
      summary:
        'A phone’s queued actions (task steps, matters, patrols, visits), each applied exactly once and in per-device order',
      body: FieldBatchSchema,
      maxBodyBytes: MAX_BATCH_BYTES,
      handler: async ({ principal: p, body }) => {
        const { reply, effects } = await f.submit(
          { id: p.user.id, displayName: p.user.displayName, areaCode: p.user.areaCode },
          body as never,
        );
        for (const a of effects.alerts) d.onAlertChanged(a);
        for (const u of effects.updates) d.onFieldUpdate(u);
        const applied = reply.results.filter((r) => r.status === 'applied');
        if (applied.length)
          d.audit.record({
            ...{ userId: p.user.id, role: p.user.role, action: 'field:actions', targetType: 'field-device' },
            ...{ targetId: (body as { deviceId: string }).deviceId, outcome: 'ok' },
            detail: applied
              .map((r) => `${r.seq}:${r.data?.alertId ?? r.data?.patrolId ?? ''}`)
              .join(' ')
              .slice(0, 500),
          });
        return reply;
      },
    },
    {
      method: 'GET',
      path: '/api/field/config',
      tag: 'field',
      access: 'field_work',
      summary: 'Matter categories, check-in radius and arrival tolerance, as the phone needs them',
      handler: () => ({
        ok: true,
        categories: f.config.categories,
        checkInRadiusM: f.config.checkInRadiusM,
        arrivalToleranceM: f.config.arrivalToleranceM,
      }),
    },
    {
      method: 'GET',
      path: '/api/field/tasks',
      tag: 'field',
      access: 'field_work',
      summary: 'Alerts and matters dispatched to me: open ones most urgent first, then those resolved in the last day',
      handler: async ({ principal: p }) => ({ ok: true, tasks: await f.tasks(p.user.id) }),
    },
    {
      method: 'GET',
      path: '/api/field/matters',
      tag: 'field',
      access: 'view',
      summary: 'Matters reported in your area (open ones unless all=true), newest first, with category',
      query: Type.Object(
        { all: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
        { additionalProperties: false },
      ),
      handler: async ({ principal: p, query }) => ({
        ok: true,
        matters: await f.matters(scopeOf(p), query.all === 'true'),
      }),
    },
    {
      method: 'GET',
      path: '/api/field/photos/:id',
      tag: 'field',
      access: 'session',
      audits: ['field:photo-open'],
      summary:
        'A field photo (JPEG): for viewers of its grid, its taker, and the assignee of its alert; every opening is audited',
      handler: async ({ principal: p, params }) => {
        const pic = new RegExp(ULID).test(params.id!) ? await f.photos.get(params.id!) : null;
        const mine = pic && (pic.userId === p.user.id || (await f.isAssignee(pic.alertId, p.user.id)));
        const visible = pic && (mine || (can(p.user.role, 'view') && inScope(p.user.areaCode, pic.gridId)));
        if (!pic || !visible) throw notFound(`照片 ${params.id}`);
        d.audit.record({
          ...{ userId: p.user.id, role: p.user.role, action: 'field:photo-open', targetType: 'field-photo' },
          ...{ targetId: pic.id, outcome: 'ok', areaCode: pic.gridId, detail: `alert ${pic.alertId}` },
        });
        return raw({
          headers: {
            'content-type': pic.contentType,
            'content-length': String(pic.bytes.length),
            'cache-control': 'private, max-age=3600',
          },
          raw: pic.bytes,
        });
      },
    },
    {
      method: 'GET',
      path: '/api/field/routes',
      tag: 'field',
      access: 'session',
      summary: 'Patrol routes with their check-in points, in your area',
      handler: async ({ principal: p }) => {
        if (!can(p.user.role, 'view') && !can(p.user.role, 'field_plan'))
          throw new ApiError(403, 'FORBIDDEN', '无权查看巡查路线 (your role may not do this)');
        return { ok: true, routes: await f.routes.list(scopeOf(p)) };
      },
    },
    {
      method: 'POST',
      path: '/api/field/routes',
      tag: 'field',
      access: 'field_plan',
      audits: ['field:route-create'],
      summary: 'Define a patrol route in a grid of your area: ordered check-in points (each inside or by the grid)',
      body: FieldRouteInputSchema,
      handler: async ({ principal: p, body, now }) => {
        const input = body as FieldRouteInput;
        if (!inScope(p.user.areaCode, input.gridId)) throw notFound(`网格 ${input.gridId}`);
        const route = await f.routes.create(input, p.user.id, now, f.newRouteId).catch(refusalToApi);
        d.audit.record({
          ...{ userId: p.user.id, role: p.user.role, action: 'field:route-create', targetType: 'field-route' },
          ...{ targetId: route.id, outcome: 'ok', areaCode: route.gridId, detail: `${route.points.length} points` },
        });
        return { ok: true, route };
      },
    },
    {
      method: 'DELETE',
      path: '/api/field/routes/:id',
      tag: 'field',
      access: 'field_plan',
      audits: ['field:route-retire'],
      summary: 'Retire a patrol route (past patrols keep it)',
      handler: async ({ principal: p, params, now }) => {
        if (!(await f.routes.retire(params.id!, scopeOf(p), now))) throw notFound(`巡查路线 ${params.id}`);
        d.audit.record({
          ...{ userId: p.user.id, role: p.user.role, action: 'field:route-retire', targetType: 'field-route' },
          ...{ targetId: params.id!, outcome: 'ok' },
        });
        return { ok: true };
      },
    },
    {
      method: 'GET',
      path: '/api/field/workers',
      tag: 'field',
      access: 'field_oversee',
      summary: 'Workers on patrol or on a task in your area: last position and its age (shown only while one is open)',
      handler: async ({ principal: p }) => ({
        ok: true,
        workers: await f.workers(scopeOf(p), (id) => d.auth.users.byId(id)),
      }),
    },
    {
      method: 'GET',
      path: '/api/field/patrols',
      tag: 'field',
      access: 'field_oversee',
      summary: 'Patrols in your area since `from` (default: the last 24 h), with tracks and check-ins',
      query: Type.Object({ from: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      handler: async ({ principal: p, query, now }) => ({
        ok: true,
        patrols: await f.patrols(scopeOf(p), (query.from as number | undefined) ?? now - 24 * 3600_000),
      }),
    },
    {
      method: 'GET',
      path: '/api/field/review',
      tag: 'field',
      access: 'field_oversee',
      summary:
        'Per-worker and per-grid figures for alerts raised in [from, to): matters reported and handled, median time to accept and resolve, overdue, patrols, check-ins; format=csv for a spreadsheet',
      query: Type.Object(
        {
          from: Type.Optional(Type.Integer({ minimum: 0 })),
          to: Type.Optional(Type.Integer({ minimum: 0 })),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal: p, query, now }) => {
        const to = (query.to as number | undefined) ?? now;
        const from = (query.from as number | undefined) ?? to - 30 * 86_400_000;
        const figures = await reviewFigures(d.store.db, scopeOf(p), from, to, async (id) => {
          const u = await d.auth.users.byId(id);
          return u ? u.displayName : '未知用户';
        });
        if (query.format !== 'csv') return { ok: true, from, to, ...figures };
        return raw({
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="field-review-${new Date(from).toISOString().slice(0, 10)}.csv"`,
          },
          raw: reviewCsv(figures),
        });
      },
    },
    {
      method: 'GET',
      path: '/api/field/suggest/:alertId',
      tag: 'field',
      access: 'handle_alerts',
      summary: 'Whom to dispatch an alert to: the grid’s workers, then the nearest workers on patrol',
      handler: async ({ principal: p, params }) => {
        const a = await d.alerts.get(params.alertId!, scopeOf(p));
        if (!a) throw notFound(`告警 ${params.alertId}`);
        return { ok: true, candidates: await f.suggest(a, scopeOf(p), await d.auth.users.list()) };
      },
    },
  ];
}
