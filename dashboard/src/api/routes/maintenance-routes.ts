import { LinliError, scopePrefix } from '@linli/contract';
import { Type } from '@sinclair/typebox';
import { type MaintenanceWindow, WindowInputSchema } from '../../alerts/index.js';
import type { Principal } from '../../auth/auth-service.js';
import { requireFreshSecondFactor } from '../../auth/fresh-second-factor.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const scopeOf = (p: Principal) => [scopePrefix(p.user.areaCode)];

/**
 * Maintenance windows over REST. Declaring one and approving a wide one need a
 * fresh second factor; ending one early does not (it makes alarms louder, not
 * quieter). Every declaration, approval and end, and every refusal, is audited.
 */
export function maintenanceRoutes(d: ApiDeps): Route[] {
  const audit = (
    p: Principal,
    action: string,
    w: { id?: string; areaPrefix?: string },
    outcome: 'ok' | 'denied',
    detail: string,
  ) =>
    d.audit.record({
      userId: p.user.id,
      role: p.user.role,
      action: `maintenance:${action}`,
      targetType: 'maintenance_window',
      ...(w.id ? { targetId: w.id } : {}),
      outcome,
      areaCode: w.areaPrefix ?? null,
      detail,
    });
  /** Runs `act`; a refusal is audited with its code before it goes back to the caller. */
  const audited = async (
    p: Principal,
    action: string,
    target: { id?: string; areaPrefix?: string },
    act: () => Promise<MaintenanceWindow>,
  ) => {
    try {
      const w = await act();
      audit(p, action, w, 'ok', describe(w));
      return { ok: true, window: w };
    } catch (err) {
      if (err instanceof LinliError) audit(p, action, target, 'denied', err.code);
      throw err;
    }
  };
  return [
    {
      method: 'GET',
      path: '/api/maintenance-windows',
      tag: 'alerts',
      access: 'view',
      summary:
        'Maintenance windows inside your area or covering it; current=true: only those not over yet (pending, scheduled, open)',
      query: Type.Object(
        { current: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => ({
        ok: true,
        windows: await d.alerts.windows.list(scopeOf(principal), { current: query.current === 'true' }),
      }),
    },
    {
      method: 'POST',
      path: '/api/maintenance-windows',
      tag: 'alerts',
      access: 'handle_alerts',
      stepUp: true,
      audits: ['maintenance:create'],
      summary:
        'Declare a maintenance window (needs a fresh step-up; at most the configured maximum, default 24 h). ' +
        'One device or one kind inside a community is active at once; anything wider is pending until a city-level role approves it',
      body: WindowInputSchema,
      handler: async ({ principal, body, now }) => {
        await requireFreshSecondFactor(d.unmask.stepUp, d.audit, principal, now, 'maintenance:create');
        return audited(principal, 'create', { areaPrefix: body.areaPrefix }, () =>
          d.alerts.windows.create(body, principal.user.id, scopeOf(principal)),
        );
      },
    },
    {
      method: 'POST',
      path: '/api/maintenance-windows/:id/approve',
      tag: 'alerts',
      access: 'approve_maintenance',
      stepUp: true,
      audits: ['maintenance:approve'],
      summary: 'Approve a pending (wide) window someone else declared; needs a fresh step-up',
      handler: async ({ principal, params, now }) => {
        await requireFreshSecondFactor(d.unmask.stepUp, d.audit, principal, now, 'maintenance:approve');
        return audited(principal, 'approve', { id: params.id! }, () =>
          d.alerts.windows.approve(params.id!, principal.user.id, scopeOf(principal)),
        );
      },
    },
    {
      method: 'POST',
      path: '/api/maintenance-windows/:id/end',
      tag: 'alerts',
      access: 'handle_alerts',
      audits: ['maintenance:end'],
      summary: 'End a window now (or withdraw a pending one); alarms raise as usual from then on',
      handler: ({ principal, params }) =>
        audited(principal, 'end', { id: params.id! }, () =>
          d.alerts.windows.end(params.id!, principal.user.id, scopeOf(principal)),
        ),
    },
  ];
}

/** The audit line of a window: what it covers, for how long, in which state. */
function describe(w: MaintenanceWindow): string {
  const what = [w.deviceId ? `device ${w.deviceId}` : null, w.kind ? `kind ${w.kind}` : null].filter(Boolean);
  return `${w.status}${w.wide ? ' (wide)' : ''}; ${w.areaPrefix} ${what.join(' ') || 'all devices'}; ${Math.round(
    (w.endsAt - w.startsAt) / 60_000,
  )} min`;
}
