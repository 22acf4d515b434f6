import { type ErrorCode, ID_PATTERN, inScope, scopePrefix } from '@linli/contract';
import { Type } from '@sinclair/typebox';
import { DEFAULT_TTL_MS, EnrollmentCodes, FixedWindowLimiter, type RedeemFailure } from '../../enrollment/index.js';
import { hashSecret, newSecret } from '../../secrets.js';
import { ApiError, forbidden } from '../api-error.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** Redeem attempts per caller IP per minute: plenty for a fumbling installer, hopeless for guessing. */
const REDEEM_LIMIT = 10;
const REDEEM_WINDOW_MS = 60_000;

const WHY: Record<RedeemFailure, { status: number; code: ErrorCode; message: string }> = {
  unknown: {
    status: 404,
    code: 'ENROLL_CODE_UNKNOWN',
    message: '注册码无效，请核对或在指挥中心重新生成 (unknown enrollment code: check it, or issue a new one)',
  },
  used: {
    status: 409,
    code: 'ENROLL_CODE_USED',
    message: '注册码已被使用，请重新生成 (this enrollment code was already used; issue a new one)',
  },
  expired: {
    status: 410,
    code: 'ENROLL_CODE_EXPIRED',
    message: '注册码已过期，请重新生成 (this enrollment code has expired; issue a new one)',
  },
  'wrong-gateway': {
    status: 409,
    code: 'ENROLL_CODE_OTHER_GATEWAY',
    message: '注册码属于另一台网关 (this code was issued for another gateway id; check gateway.id in the config)',
  },
};

/**
 * Enrollment: an installer issues a one-time code for a gateway in a community
 * of their area; the gateway swaps it for its own token at `POST /api/enroll`.
 * The code and the token are each shown once and stored only as hashes.
 */
export function enrollmentRoutes(d: ApiDeps): Route[] {
  // Enrollment codes live next to the gateways table; the SQL store exposes its database.
  const codes = new EnrollmentCodes(d.store.db);
  // Per node, in memory: with several nodes an address gets this many tries on each. Accepted: a code
  // has ~59 bits, lives 30 minutes and is spent by one atomic UPDATE whichever node redeems it.
  const limiter = new FixedWindowLimiter(REDEEM_LIMIT, REDEEM_WINDOW_MS);
  return [
    {
      method: 'POST',
      path: '/api/enrollment-codes',
      tag: 'gateways',
      access: 'provision',
      audits: ['gateway:enrollment-code'],
      summary: 'Issue a one-time enrollment code for a gateway in a community of your area (shown once)',
      body: Type.Object(
        {
          gatewayId: Type.String({ pattern: ID_PATTERN }),
          areaCode: Type.String({ pattern: '^[0-9]{12}$', description: '12-digit community code' }),
          ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, body, now }) => {
        const { gatewayId, areaCode } = body as { gatewayId: string; areaCode: string; ttlMinutes?: number };
        if (!d.areas.exists(areaCode))
          throw new ApiError(400, 'UNKNOWN_AREA', `社区编码 ${areaCode} 不存在 (no such community)`, [
            { field: 'areaCode', message: 'not a community of the area tree' },
          ]);
        if (!inScope(principal.user.areaCode, areaCode))
          throw forbidden('为辖区外的社区生成注册码 (outside your area)');
        const existing = await d.store.gateway(gatewayId);
        if (existing?.areaCode && !inScope(principal.user.areaCode, existing.areaCode))
          throw forbidden('重新注册辖区外的网关 (that gateway id belongs to a community outside your area)');
        const ttl = body.ttlMinutes ? (body.ttlMinutes as number) * 60_000 : DEFAULT_TTL_MS;
        const issued = await codes.issue(gatewayId, areaCode, principal.user.id, now, ttl);
        d.audit.record({
          userId: principal.user.id,
          role: principal.user.role,
          action: 'gateway:enrollment-code',
          targetType: 'gateway',
          targetId: gatewayId,
          outcome: 'ok',
          areaCode,
          detail: `expires ${new Date(issued.expiresAt).toISOString()}${existing ? ', re-keys an existing gateway' : ''}`,
        });
        return { ok: true, ...issued, rekeys: existing !== null };
      },
    },
    {
      method: 'GET',
      path: '/api/enrollment-codes',
      tag: 'gateways',
      access: 'provision',
      summary: 'Codes waiting to be used inside your area (the codes themselves are never shown again)',
      handler: async ({ principal, now }) => ({
        ok: true,
        pending: await codes.pending(scopePrefix(principal.user.areaCode), now),
      }),
    },
    {
      method: 'POST',
      path: '/api/enroll',
      tag: 'gateways',
      access: 'public',
      audits: ['gateway:enroll'],
      summary: 'A gateway swaps a one-time enrollment code for its own token (rate-limited per IP)',
      body: Type.Object(
        {
          code: Type.String({ minLength: 8, maxLength: 32 }),
          gatewayId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ body, ip, now }) => {
        const wait = limiter.hit(ip, now);
        if (wait > 0)
          throw new ApiError(
            429,
            'TOO_MANY_ATTEMPTS',
            '尝试次数过多，请稍后再试 (too many enrollment attempts; wait a minute)',
            undefined,
            wait,
          );
        const { code, gatewayId } = body as { code: string; gatewayId?: string };
        const r = await codes.redeem(code, gatewayId, now);
        if ('failure' in r) {
          d.audit.record({
            userId: 'anonymous',
            role: 'gateway',
            action: 'gateway:enroll',
            targetType: 'gateway',
            targetId: gatewayId ?? '',
            outcome: 'denied',
            detail: `${r.failure} code from ${ip}`,
          });
          const why = WHY[r.failure];
          throw new ApiError(why.status, why.code, why.message);
        }
        const token = newSecret();
        await d.store.upsertGateway(r.gatewayId, hashSecret(token), r.areaCode);
        // A re-keyed gateway's old connection must not live on with the old token.
        d.onGatewayRevoked(r.gatewayId);
        d.audit.record({
          userId: `gateway:${r.gatewayId}`,
          role: 'gateway',
          action: 'gateway:enroll',
          targetType: 'gateway',
          targetId: r.gatewayId,
          outcome: 'ok',
          areaCode: r.areaCode,
          detail: `enrolled from ${ip} with a code issued by ${r.createdBy}`,
        });
        return { ok: true, gatewayId: r.gatewayId, areaCode: r.areaCode, token };
      },
    },
  ];
}
