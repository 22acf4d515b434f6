import { Type } from '@sinclair/typebox';
import { inScope, scopePrefix } from '@linli/contract';
import { notFound } from '../api-error.js';
import { raw, type Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** Read-only views of the city, each cut to the caller's area on the server. */
export function viewRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/areas',
      tag: 'areas',
      access: 'view',
      summary: 'Area polygons inside your area, plus its ancestors (GeoJSON); ?under= one area and those inside it',
      query: Type.Object(
        { under: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,3}$' })) },
        { additionalProperties: false },
      ),
      handler: ({ principal, query }) =>
        raw({
          headers: { 'content-type': 'application/geo+json; charset=utf-8', 'cache-control': 'no-store' },
          json: d.areas.visibleTo(principal.user.areaCode, query.under as string | undefined),
        }),
    },
    {
      method: 'GET',
      path: '/api/events',
      tag: 'events',
      access: 'view',
      summary: 'Newest events inside your area, oldest first',
      query: Type.Object(
        { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => ({
        ok: true,
        events: await d.store.recentEvents(
          (query.limit as number | undefined) ?? 200,
          scopePrefix(principal.user.areaCode),
        ),
      }),
    },
    {
      method: 'GET',
      path: '/api/gateways',
      tag: 'gateways',
      access: 'view',
      summary: 'Delivery state and self-reported status of the gateways inside your area',
      handler: async ({ principal }) => ({
        ok: true,
        gateways: (await d.gatewayViews()).filter(
          (g) => g.areaCode !== null && g.areaCode !== undefined && inScope(principal.user.areaCode, g.areaCode),
        ),
      }),
    },
    {
      method: 'POST',
      path: '/api/gateways/:id/revoke',
      tag: 'gateways',
      access: 'provision',
      audits: ['gateway:revoke'],
      summary: 'Revoke a gateway credential: refused from its next handshake, disconnected now',
      handler: async ({ principal, params }) => {
        const gw = await d.store.gateway(params.id!);
        const who = {
          userId: principal.user.id,
          role: principal.user.role,
          action: 'gateway:revoke',
          targetType: 'gateway',
          targetId: params.id,
        };
        if (!gw || gw.areaCode === null || !inScope(principal.user.areaCode, gw.areaCode)) {
          d.audit.record({ ...who, outcome: 'denied', detail: 'out of area or unknown' });
          throw notFound(`网关 ${params.id}`);
        }
        await d.store.revokeGateway(gw.id);
        d.onGatewayRevoked(gw.id);
        d.audit.record({ ...who, outcome: 'ok' });
        return { ok: true };
      },
    },
  ];
}
