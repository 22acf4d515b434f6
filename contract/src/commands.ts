import { type Static, Type } from '@sinclair/typebox';
import { ErrorCodeSchema } from './error-codes.js';
import { ID_PATTERN, ULID_PATTERN } from './event.js';

/**
 * The downlink: commands from the hub (an operator, a flow push) to one
 * gateway. Every command has an id (the audit trail and the gateway's
 * idempotency key), names who asked, and expires: a command that reaches a
 * gateway after `expiresAt` is refused, never executed late (a gate opened
 * an hour after the ambulance left is a security problem).
 */
export const COMMAND_NAMES = ['gate.open', 'camera.snapshot', 'relay.set', 'flows.apply', 'diagnostics'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands that act on one device carry its id; gateway-wide commands (flows.apply, diagnostics) do not. */
export const DEVICE_COMMANDS: ReadonlySet<CommandName> = new Set(['gate.open', 'camera.snapshot', 'relay.set']);

export const CommandSchema = Type.Object(
  {
    id: Type.String({ pattern: ULID_PATTERN }),
    name: Type.Union(COMMAND_NAMES.map((n) => Type.Literal(n))),
    deviceId: Type.Optional(Type.String({ pattern: ID_PATTERN })),
    /** Command-specific arguments; the handler validates them (e.g. flows.apply carries the flow set). */
    args: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 32 }),
    /** The hub user (or `system:…`) who asked: recorded by the hub's audit and the gateway's log. */
    issuedBy: Type.String({ minLength: 1, maxLength: 64 }),
    issuedAt: Type.Integer({ minimum: 0 }),
    expiresAt: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type Command = Static<typeof CommandSchema>;

const Failure = Type.Object(
  {
    ok: Type.Literal(false),
    error: Type.Object({ code: ErrorCodeSchema, message: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export const CommandReplySchema = Type.Union([
  Type.Object(
    { ok: Type.Literal(true), result: Type.Record(Type.String(), Type.Unknown()) },
    { additionalProperties: false },
  ),
  Failure,
]);
export type CommandReply = Static<typeof CommandReplySchema>;
