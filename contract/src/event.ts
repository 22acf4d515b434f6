import { type Static, type TLiteral, type TObject, Type } from '@sinclair/typebox';
import { EVENT_KINDS, type EventKind, payloadSchemas, SEVERITIES, type Severity } from './kinds.js';

/** Envelope version. A hub accepts only versions it knows; it never guesses. */
export const EVENT_VERSION = 1;

export const ULID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
export const ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
/** Grid code: 12-digit community code (admin-division style) + 3-digit grid number. */
export const GRID_CODE_PATTERN = '^[0-9]{15}$';

export const LocationSchema = Type.Object(
  {
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    gridId: Type.String({ pattern: GRID_CODE_PATTERN }),
  },
  { additionalProperties: false },
);
export type Location = Static<typeof LocationSchema>;

const envelopeFields = {
  v: Type.Literal(EVENT_VERSION),
  /** Sortable unique id (ULID), assigned by the gateway when the event is buffered. */
  id: Type.String({ pattern: ULID_PATTERN }),
  gatewayId: Type.String({ pattern: ID_PATTERN }),
  /** Per-gateway sequence, strictly increasing by one; the hub orders and deduplicates by it. */
  seq: Type.Integer({ minimum: 1 }),
  /** Device clock, ms since epoch. Informational: devices' clocks drift and jump. */
  deviceTime: Type.Integer({ minimum: 0 }),
  /** Gateway clock when the event entered the buffer, ms since epoch. */
  receivedAt: Type.Integer({ minimum: 0 }),
  deviceId: Type.String({ pattern: ID_PATTERN }),
  severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
  location: LocationSchema,
};

type Branch<K extends EventKind> = TObject<
  typeof envelopeFields & { kind: TLiteral<K>; payload: (typeof payloadSchemas)[K] }
>;
/** One event; `payload` is typed by `kind`. */
export type LinliEvent = { [K in EventKind]: Static<Branch<K>> }[EventKind];
export type EventOf<K extends EventKind> = Extract<LinliEvent, { kind: K }>;
export type PayloadOf<K extends EventKind> = EventOf<K>['payload'];

/**
 * The event schema: the envelope once, then a `oneOf` over `{ kind, payload }`
 * keyed by `kind` with Ajv's discriminator, so an error names the field of the
 * payload that `kind` selects instead of listing every branch's complaints, and
 * the compiled validator stays small enough to ship to the browser.
 */
const envelope = Type.Object(envelopeFields);
export const EventSchema = Type.Unsafe<LinliEvent>({
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(envelopeFields), 'kind', 'payload'],
  properties: { ...envelope.properties, kind: { type: 'string' }, payload: {} },
  discriminator: { propertyName: 'kind' },
  oneOf: EVENT_KINDS.map((k) => ({
    type: 'object',
    required: ['kind', 'payload'],
    properties: { kind: { const: k }, payload: payloadSchemas[k] },
  })),
});

/** What a driver produces: the gateway adds identity, sequence, receipt time and location. */
export type EventDraft = {
  [K in EventKind]: {
    kind: K;
    deviceId: string;
    deviceTime: number;
    severity?: Severity;
    payload: PayloadOf<K>;
  };
}[EventKind];
