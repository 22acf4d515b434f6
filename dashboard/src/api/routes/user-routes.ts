import { Type } from '@sinclair/typebox';
import { inScope, ROLES } from '@linli/contract';
import { forbidden } from '../api-error.js';
import type { Route } from '../route.js';
import { publicUser, unknownArea } from './auth-routes.js';
import type { ApiDeps } from './deps.js';

export function userRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/users',
      tag: 'users',
      access: 'manage_users',
      audits: ['user:create'],
      summary: 'Create a user inside your own area; the initial password (and TOTP enrolment) is returned once',
      body: Type.Object(
        {
          username: Type.String({ minLength: 3, maxLength: 32 }),
          displayName: Type.String({ minLength: 1, maxLength: 64 }),
          role: Type.Union(ROLES.map((r) => Type.Literal(r))),
          areaCode: Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,3}$' }),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ body, principal, now }) => {
        const who = { userId: principal.user.id, role: principal.user.role, action: 'user:create' };
        if (!d.areas.exists(body.areaCode)) throw unknownArea(body.areaCode);
        if (!inScope(principal.user.areaCode, body.areaCode)) {
          d.audit.record({ ...who, outcome: 'denied', detail: 'area outside own' });
          throw forbidden('在您的区域之外创建用户');
        }
        const a = await d.auth.createAccount(body, principal.user.id, now);
        d.audit.record({
          ...who,
          targetType: 'user',
          targetId: a.user.id,
          outcome: 'ok',
          detail: `role ${a.user.role}`,
        });
        return {
          ok: true,
          user: publicUser(a.user),
          password: a.password,
          totpUri: a.totpUri,
          totpSecret: a.totpSecret,
        };
      },
    },
    {
      method: 'GET',
      path: '/api/users',
      tag: 'users',
      access: 'manage_users',
      summary: 'Users inside your area',
      handler: async ({ principal }) => ({
        ok: true,
        users: (await d.auth.users.list()).filter((u) => inScope(principal.user.areaCode, u.areaCode)).map(publicUser),
      }),
    },
  ];
}
