import { Type } from '@sinclair/typebox';
import type { Principal } from '../../auth/auth-service.js';
import { UnmaskRefused } from '../../privacy/errors.js';
import { UNMASK_REASONS } from '../../people/types.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/**
 * Unmasking as a permission of its own: the step-up that must precede it, the
 * one-record unmasked read, the administrator's per-user grants, and the
 * auditors' report. The policy itself lives below the API (people/unmask-gate.ts,
 * auth/unmask-grants.ts); these routes only pass the session along.
 */
export function unmaskRoutes(d: ApiDeps): Route[] {
  // Read when a request comes, not now: the roles table (api/roles-table.ts) lists these routes without any services.
  const stepUp = () => d.unmask.stepUp;
  const grants = () => d.unmask.grants;
  const actor = (p: Principal) => ({ userId: p.user.id, role: p.user.role, areaCode: p.user.areaCode });
  /** Handing out the right to see records in full is itself an act that needs a fresh second factor. */
  const requireStepUp = async (p: Principal, action: string, targetId: string, now: number) => {
    if (await stepUp().isFresh(p.session.tokenHash, now)) return;
    d.audit.record({
      userId: p.user.id,
      role: p.user.role,
      action,
      targetType: 'user',
      targetId,
      outcome: 'denied',
      detail: 'step-up required',
    });
    throw new UnmaskRefused(
      'STEP_UP_REQUIRED',
      `请重新输入动态口令 (re-enter your TOTP code: a step-up within ${stepUp().windowMs / 60_000} min is required)`,
      403,
    );
  };
  return [
    {
      method: 'POST',
      path: '/api/step-up',
      tag: 'auth',
      access: 'session',
      summary: `Re-enter the TOTP code for this session; it counts as fresh for a few minutes (unmasked reads, unmasking grants)`,
      audits: ['step-up'],
      body: Type.Object({ totp: Type.String({ minLength: 6, maxLength: 8 }) }, { additionalProperties: false }),
      handler: async ({ principal, body, now }) => ({
        ok: true,
        ...(await stepUp().verify(principal, body.totp, now)),
      }),
    },
    {
      method: 'POST',
      path: '/api/population/records/:id/unmask',
      tag: 'population',
      access: 'personal_read',
      summary:
        'One record in full: needs a per-user grant, a reason from the list, a fresh step-up, and stays under the hourly limit; always audited',
      audits: ['people.unmask'],
      stepUp: true,
      body: Type.Object(
        { reason: Type.Union(UNMASK_REASONS.map((r) => Type.Literal(r))) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, params, body, now }) => ({
        ok: true,
        record: await d.people.getUnmasked(
          principal.viewer,
          params.id!,
          { reason: body.reason, sessionHash: principal.session.tokenHash },
          now,
        ),
      }),
    },
    {
      method: 'PUT',
      path: '/api/users/:id/unmask-grant',
      tag: 'users',
      access: 'manage_users',
      summary:
        'Grant one user (inside your area) unmasked reads until a time (ISO 8601), replacing any grant they hold',
      audits: ['unmask.grant'],
      stepUp: true,
      body: Type.Object({ until: Type.String({ minLength: 10, maxLength: 40 }) }, { additionalProperties: false }),
      handler: async ({ principal, params, body, now }) => {
        await requireStepUp(principal, 'unmask.grant', params.id!, now);
        const until = Date.parse(body.until);
        if (Number.isNaN(until))
          throw new ApiError(
            400,
            'GRANT_INVALID_UNTIL',
            '截止时间格式无效，请用 ISO 8601 (until must be an ISO 8601 time)',
            [{ field: 'until', message: 'not an ISO 8601 time' }],
          );
        return { ok: true, grant: await grants().grant(actor(principal), params.id!, until, now) };
      },
    },
    {
      method: 'DELETE',
      path: '/api/users/:id/unmask-grant',
      tag: 'users',
      access: 'manage_users',
      summary: 'End a user’s unmasking grant now',
      audits: ['unmask.revoke'],
      stepUp: true,
      handler: async ({ principal, params, now }) => {
        await requireStepUp(principal, 'unmask.revoke', params.id!, now);
        return { ok: true, ended: await grants().revoke(actor(principal), params.id!, now) };
      },
    },
    {
      method: 'GET',
      path: '/api/unmask-grants',
      tag: 'users',
      access: 'manage_users',
      summary: 'Unmasking grants in force for users inside your area',
      handler: async ({ principal, now }) => ({ ok: true, grants: await grants().listActive(actor(principal), now) }),
    },
    {
      method: 'GET',
      path: '/api/audit/unmasked',
      tag: 'audit',
      access: 'audit_read',
      summary:
        'Unmasked reads and refused attempts inside your area, per user (user id or username), from the audit log',
      audits: ['audit.unmasked'],
      query: Type.Object(
        {
          user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          since: Type.Optional(Type.Integer({ minimum: 0 })),
          until: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query, now }) => {
        const q = query as { user?: string; since?: number; until?: number; limit?: number };
        const named = q.user === undefined ? null : await d.auth.users.credentials(q.user);
        const userId = named?.user.id ?? q.user;
        return {
          ok: true,
          ...(await d.unmask.report.list(
            principal.viewer,
            {
              ...(userId !== undefined ? { userId } : {}),
              ...(q.since !== undefined ? { since: q.since } : {}),
              ...(q.until !== undefined ? { until: q.until } : {}),
              ...(q.limit !== undefined ? { limit: q.limit } : {}),
            },
            now,
          )),
        };
      },
    },
  ];
}
