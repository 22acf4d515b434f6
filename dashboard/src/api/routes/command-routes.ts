import { COMMAND_NAMES, ID_PATTERN } from '@linli/contract';
import { Type } from '@sinclair/typebox';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

export function commandRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/commands',
      tag: 'commands',
      access: 'session',
      audits: ['command:<name>'],
      summary:
        'Send a command to a gateway or one of its devices (open a gate, take a snapshot, push flows); queued while the gateway is offline, audited with who asked',
      body: Type.Object(
        {
          gatewayId: Type.String({ pattern: ID_PATTERN }),
          deviceId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
          name: Type.Union(COMMAND_NAMES.map((n) => Type.Literal(n))),
          args: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 32 })),
          ttlSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 86_400 })),
        },
        { additionalProperties: false },
      ),
      maxBodyBytes: 1024 * 1024,
      handler: async ({ principal, body, now }) => ({
        ok: true,
        command: await d.commands.issue(principal.viewer, { ...body, args: body.args ?? {} }, now),
      }),
    },
    {
      method: 'GET',
      path: '/api/commands/:id',
      tag: 'commands',
      access: 'view',
      summary: 'A command and its state: queued, sent, done (with result), failed or expired',
      handler: async ({ principal, params }) => ({
        ok: true,
        command: await d.commands.get(principal.viewer, params.id!),
      }),
    },
  ];
}
