import { Type } from '@sinclair/typebox';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** Answering the second factor again for actions that need a fresh one (auth/fresh-second-factor.ts). */
export function stepUpRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/step-up',
      tag: 'auth',
      access: 'session',
      summary:
        'Enter the authenticator code again; for the next few minutes this session may do what needs a fresh second factor',
      body: Type.Object({ totp: Type.String({ minLength: 6, maxLength: 8 }) }, { additionalProperties: false }),
      handler: async ({ principal, body, now }) => ({
        ok: true,
        ...(await d.auth.stepUp.verify(principal, body.totp, now)),
      }),
    },
  ];
}
