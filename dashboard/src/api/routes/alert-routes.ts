import { Type } from '@sinclair/typebox';
import { scopePrefix } from '@linli/contract';
import type { Alert } from '../../alerts/index.js';
import { describeHistory } from '../../alerts/history-text.js';
import type { Principal } from '../../auth/auth-service.js';
import { notFound } from '../api-error.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const Note = Type.String({ minLength: 1, maxLength: 500 });
const scopeOf = (p: Principal) => [scopePrefix(p.user.areaCode)];
const list = (s: unknown) => (typeof s === 'string' && s ? s.split(',') : undefined);

/**
 * The alert life over REST: read inside your area; dispatch, acknowledge,
 * resolve (with a note) for roles that handle alerts. Every change goes to
 * the cockpits of the alert's area and into the audit log.
 */
export function alertRoutes(d: ApiDeps): Route[] {
  const changed = (p: Principal, action: string, a: Alert) => {
    d.audit.record({
      userId: p.user.id,
      role: p.user.role,
      action: `alert:${action}`,
      targetType: 'alert',
      targetId: a.id,
      outcome: 'ok',
      areaCode: a.gridId,
      detail: `now ${a.state}`,
    });
    d.onAlertChanged(a);
    return { ok: true, alert: a };
  };
  const transition = (
    path: string,
    summary: string,
    body: ReturnType<typeof Type.Object>,
    run: (id: string, scope: string[], p: Principal, b: Record<string, unknown>) => Promise<Alert>,
  ): Route => ({
    method: 'POST',
    path: `/api/alerts/:id/${path}`,
    tag: 'alerts',
    access: 'handle_alerts',
    audits: [`alert:${path}`],
    summary,
    body,
    handler: async ({ principal, params, body: b }) =>
      changed(principal, path, await run(params.id!, scopeOf(principal), principal, b)),
  });
  return [
    {
      method: 'GET',
      path: '/api/alerts',
      tag: 'alerts',
      access: 'view',
      summary: 'Alerts inside your area, newest first; comma-separated lists for states, severities, kinds',
      query: Type.Object(
        {
          states: Type.Optional(Type.String({ maxLength: 200 })),
          severities: Type.Optional(Type.String({ maxLength: 100 })),
          kinds: Type.Optional(Type.String({ maxLength: 500 })),
          from: Type.Optional(Type.Integer({ minimum: 0 })),
          to: Type.Optional(Type.Integer({ minimum: 0 })),
          escalated: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => ({
        ok: true,
        alerts: await d.alerts.list(scopeOf(principal), {
          ...(list(query.states) ? { states: list(query.states) as never } : {}),
          ...(list(query.severities) ? { severities: list(query.severities) as never } : {}),
          ...(list(query.kinds) ? { kinds: list(query.kinds) as never } : {}),
          ...(query.from !== undefined ? { from: query.from as number } : {}),
          ...(query.to !== undefined ? { to: query.to as number } : {}),
          ...(query.escalated ? { escalated: query.escalated === 'true' } : {}),
          ...(query.limit ? { limit: query.limit as number } : {}),
        }),
      }),
    },
    {
      method: 'GET',
      path: '/api/alerts/:id',
      tag: 'alerts',
      access: 'view',
      summary: 'One alert, with the actions your role may take now',
      handler: async ({ principal, params }) => {
        const a = await d.alerts.get(params.id!, scopeOf(principal));
        if (!a) throw notFound(`告警 ${params.id}`);
        return { ok: true, alert: a, eventIds: await d.alerts.eventIds(a.id, scopeOf(principal)) };
      },
    },
    {
      method: 'GET',
      path: '/api/alerts/:id/history',
      tag: 'alerts',
      access: 'view',
      summary:
        'Every transition of an alert: who (id and name), when, from, to, why (in Chinese for the hub’s own steps)',
      handler: async ({ principal, params }) => {
        const h = await d.alerts.history(params.id!, scopeOf(principal));
        if (!h) throw notFound(`告警 ${params.id}`);
        return { ok: true, history: await describeHistory(h, d.auth.users) };
      },
    },
    transition(
      'dispatch',
      'Dispatch to a person or team',
      Type.Object(
        {
          assignee: Type.Object(
            {
              type: Type.Union([Type.Literal('user'), Type.Literal('team')]),
              id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$' }),
            },
            { additionalProperties: false },
          ),
          note: Type.Optional(Note),
        },
        { additionalProperties: false },
      ),
      (id, scope, p, b) =>
        d.alerts.dispatch(id, scope, {
          actor: p.user.id,
          assignee: b.assignee as never,
          ...(b.note ? { note: b.note as string } : {}),
        }),
    ),
    transition(
      'acknowledge',
      'Acknowledge (the assignee has it in hand)',
      Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false }),
      (id, scope, p, b) =>
        d.alerts.acknowledge(id, scope, { actor: p.user.id, ...(b.note ? { note: b.note as string } : {}) }),
    ),
    transition(
      'resolve',
      'Resolve with a resolution note (final)',
      Type.Object({ note: Note }, { additionalProperties: false }),
      (id, scope, p, b) => d.alerts.resolve(id, scope, { actor: p.user.id, note: b.note as string }),
    ),
  ];
}
