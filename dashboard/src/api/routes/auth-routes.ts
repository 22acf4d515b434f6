import { Type } from '@sinclair/typebox';
import { needsSecondFactor, ROLE_TITLES } from '@linli/contract';
import type { User } from '../../auth/users.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const Username = Type.String({ minLength: 3, maxLength: 32 });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const AreaCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,3}$' });

export function publicUser(u: User) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    roleTitle: ROLE_TITLES[u.role],
    areaCode: u.areaCode,
    secondFactor: needsSecondFactor(u.role),
  };
}

export function authRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/setup',
      tag: 'auth',
      access: 'public',
      audits: ['setup'],
      summary: 'Create the first administrator with the one-time setup token printed at first start',
      body: Type.Object(
        {
          setupToken: Type.String({ minLength: 16, maxLength: 256 }),
          username: Username,
          displayName: Type.String({ minLength: 1, maxLength: 64 }),
          password: Password,
          areaCode: AreaCode,
        },
        { additionalProperties: false },
      ),
      handler: async ({ body, now }) => {
        if (!d.areas.exists(body.areaCode)) throw unknownArea(body.areaCode);
        const a = await d.auth.setupFirstAdmin(body, now);
        return { ok: true, user: publicUser(a.user), totpUri: a.totpUri, totpSecret: a.totpSecret };
      },
    },
    {
      method: 'POST',
      path: '/api/login',
      tag: 'auth',
      access: 'public',
      audits: ['login'],
      summary: 'Log in with password (and a TOTP code for roles that see personal data); returns a session token',
      body: Type.Object(
        { username: Username, password: Password, totp: Type.Optional(Type.String({ maxLength: 8 })) },
        { additionalProperties: false },
      ),
      handler: async ({ body, ip, now }) => {
        const r = await d.auth.login({ ...body, ip }, now);
        return { ok: true, token: r.token, expiresAt: r.expiresAt, user: publicUser(r.user) };
      },
    },
    {
      method: 'POST',
      path: '/api/logout',
      tag: 'auth',
      access: 'session',
      audits: ['logout'],
      summary: 'End this session (its sockets are disconnected)',
      handler: async ({ principal }) => {
        await d.auth.logout(principal);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      tag: 'auth',
      access: 'session',
      summary: 'Who this session belongs to, and when it ends',
      handler: ({ principal }) => ({
        ok: true,
        user: publicUser(principal.user),
        expiresAt: principal.session.expiresAt,
      }),
    },
  ];
}

export const unknownArea = (code: string) =>
  new ApiError(400, 'UNKNOWN_AREA', `区域编码 ${code} 不在区域树中 (area code not in the area tree)`);
