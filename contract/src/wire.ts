import type { FieldUpdate } from './field.js';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { Command, CommandReply } from './commands.js';
import { type ErrorCode, ErrorCodeSchema } from './error-codes.js';

export { refusalCode } from './error-codes.js';
import type { Alert } from './rest/alerts.js';
import { EventSchema, GRID_CODE_PATTERN, ID_PATTERN, type LinliEvent, ULID_PATTERN } from './event.js';

/**
 * The Socket.IO contract between gateway, hub and cockpit. Every request that
 * expects an answer gets an envelope `{ ok: true, ... }` or
 * `{ ok: false, error: { code, message, issues? } }`: handlers answer with an
 * error, they never throw across the wire.
 */
export const PROTOCOL_VERSION = 1;
export const GATEWAY_NAMESPACE = '/gateway';
export const COCKPIT_NAMESPACE = '/cockpit';
/** Upper bound on events per batch; with the payload limits it keeps a batch far below MAX_MESSAGE_BYTES. */
export const MAX_BATCH_EVENTS = 1000;
/** Socket.IO's maxHttpBufferSize on the hub: larger messages are refused before parsing. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

export const WireErrorSchema = Type.Object({
  code: ErrorCodeSchema,
  /** For people and logs only: no program reads meaning out of it. */
  message: Type.String(),
  issues: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  /** When to try again (RATE_LIMITED, DUPLICATE_IDENTITY): the field a sender reads, never the message. */
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type WireError = Static<typeof WireErrorSchema>;

const Failure = Type.Object({ ok: Type.Literal(false), error: WireErrorSchema }, { additionalProperties: false });
function reply<T extends TSchema>(success: T) {
  return Type.Union([success, Failure]);
}

export const GatewayAuthSchema = Type.Object(
  {
    gatewayId: Type.String({ pattern: ID_PATTERN }),
    token: Type.String({ minLength: 32, maxLength: 256 }),
    protocol: Type.Literal(PROTOCOL_VERSION),
  },
  { additionalProperties: false },
);
export type GatewayAuth = Static<typeof GatewayAuthSchema>;

/**
 * Why the hub refused something a gateway sent, beyond its enrolled authority
 * (docs/protocol.md "Authority"). Gateway-level codes refuse a whole message
 * and keep the backlog (the operator must act); event-level codes refuse one
 * event, whose sequence the hub then moves across (counted and audited) so the
 * backlog never sticks behind it.
 */
export const GATEWAY_REFUSALS = ['GATEWAY_NO_AREA', 'DEVICES_NOT_DECLARED'] as const;
/** `KIND_NOT_FROM_GATEWAY`: a kind only the hub makes (`field.*`: matters from grid workers' phones). */
export const EVENT_REFUSALS = ['GRID_OUTSIDE_AREA', 'DEVICE_UNDECLARED', 'KIND_NOT_FROM_GATEWAY'] as const;
/** A declared device whose grid lies outside the gateway's enrolled area. */
export const DEVICE_REFUSALS = ['DEVICE_OUTSIDE_AREA'] as const;
export const AUTHORITY_CODES = [...GATEWAY_REFUSALS, ...EVENT_REFUSALS, ...DEVICE_REFUSALS] as const;
export type AuthorityCode = (typeof AUTHORITY_CODES)[number];
/** Authority refusals do not go away by resending; a sender should not retry them as it would a fault. */
export function isAuthorityCode(code: string): code is AuthorityCode {
  return (AUTHORITY_CODES as readonly string[]).includes(code);
}
const codeOf = <T extends readonly string[]>(codes: T) => Type.Union(codes.map((c) => Type.Literal(c)));

/** Upper bound on devices one gateway declares (far above a compound's few hundred). */
export const MAX_DECLARED_DEVICES = 2000;
/** One device a gateway has: the hub accepts events only from declared devices, in grids of the gateway's area. */
export const DeclaredDeviceSchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    type: Type.String({ minLength: 1, maxLength: 64 }),
    gridId: Type.String({ pattern: GRID_CODE_PATTERN }),
  },
  { additionalProperties: false },
);
export type DeclaredDevice = Static<typeof DeclaredDeviceSchema>;

/** `hello`: where to resume, and (from gateways that declare) the device list, built from the gateway's config. */
export const HelloSchema = Type.Object(
  {
    devices: Type.Optional(Type.Array(DeclaredDeviceSchema, { maxItems: MAX_DECLARED_DEVICES })),
    /** The gateway's newest sequence now: devices it no longer lists still own their events up to here (its backlog). */
    lastSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type Hello = Static<typeof HelloSchema>;

export const DeviceRefusalSchema = Type.Object(
  { deviceId: Type.String(), code: codeOf([...GATEWAY_REFUSALS, ...DEVICE_REFUSALS]), message: Type.String() },
  { additionalProperties: false },
);
export type DeviceRefusal = Static<typeof DeviceRefusalSchema>;

/** An event the hub refused (not stored); its sequence is behind the watermark all the same. */
export const RejectedEventSchema = Type.Object(
  { seq: Type.Integer({ minimum: 1 }), deviceId: Type.String(), code: codeOf(EVENT_REFUSALS), message: Type.String() },
  { additionalProperties: false },
);
export type RejectedEvent = Static<typeof RejectedEventSchema>;
const Rejected = Type.Optional(Type.Array(RejectedEventSchema, { maxItems: MAX_BATCH_EVENTS }));

export const HelloReplySchema = reply(
  Type.Object(
    {
      ok: Type.Literal(true),
      /** Highest sequence of this gateway the hub has durably stored (0 = none). */
      lastSeq: Type.Integer({ minimum: 0 }),
      serverTime: Type.Integer({ minimum: 0 }),
      /** The hub's answer to a declared device list: whether it changed, and the devices it refused. */
      devices: Type.Optional(
        Type.Object(
          {
            changed: Type.Boolean(),
            refused: Type.Array(DeviceRefusalSchema, { maxItems: MAX_DECLARED_DEVICES }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
);
export type HelloReply = Static<typeof HelloReplySchema>;

/** Sequences the gateway evicted (routine telemetry, when its buffer was full) and will never send. */
export const EvictedRangeSchema = Type.Object(
  { fromSeq: Type.Integer({ minimum: 1 }), toSeq: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type EvictedRange = Static<typeof EvictedRangeSchema>;

/**
 * The backlog lane: events in ascending sequence, with the evicted ranges that
 * fall among them, so the hub can advance past sequences that will never come.
 */
export const EventBatchSchema = Type.Object(
  {
    events: Type.Array(EventSchema, { maxItems: MAX_BATCH_EVENTS }),
    evicted: Type.Optional(Type.Array(EvictedRangeSchema, { maxItems: MAX_BATCH_EVENTS })),
  },
  { additionalProperties: false },
);
export type EventBatch = { events: LinliEvent[]; evicted?: EvictedRange[] };

/** The live lane: new alarms sent ahead of a backlog. Stored at once; the sequence watermark does not move. */
export const MAX_LIVE_EVENTS = 100;
export const LiveBatchSchema = Type.Object(
  { events: Type.Array(EventSchema, { minItems: 1, maxItems: MAX_LIVE_EVENTS }) },
  { additionalProperties: false },
);
export type LiveBatch = { events: LinliEvent[] };
export const LiveReplySchema = reply(
  Type.Object(
    { ok: Type.Literal(true), stored: Type.Integer({ minimum: 0 }), rejected: Rejected },
    { additionalProperties: false },
  ),
);
export type LiveReply = Static<typeof LiveReplySchema>;

const Count = Type.Integer({ minimum: 0 });
/** What a gateway reports about itself every few seconds; the cockpit shows it as device status. */
export const GatewayStatusSchema = Type.Object(
  {
    /** Gateway clock, ms since epoch: the hub compares it with its own to flag clock trouble. */
    now: Count,
    buffer: Type.Object(
      {
        depth: Count,
        bytes: Count,
        lastSeq: Count,
        oldestReceivedAt: Type.Union([Count, Type.Null()]),
        evictedTelemetry: Count,
        refusedAlarms: Count,
        diskFull: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    devices: Type.Object({ total: Count, online: Count }, { additionalProperties: false }),
    /** Events per second acknowledged by the hub over the last interval. */
    replayRate: Type.Number({ minimum: 0 }),
    /** The flow set the gateway's local rules run (absent on gateways without flows). */
    flowsVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** The gateway's GB/T 28181 registration to its public-security upper platform (absent when not configured). */
    gb28181: Type.Optional(
      Type.Object(
        {
          state: Type.Union(
            ['stopped', 'connecting', 'registering', 'registered', 'retrying'].map((s) => Type.Literal(s)),
          ),
          /** `<server code>@<host>:<port>/<transport>` */
          platform: Type.String({ maxLength: 120 }),
          since: Count,
          lastError: Type.Union([Type.String({ maxLength: 400 }), Type.Null()]),
          lastErrorAt: Type.Union([Count, Type.Null()]),
          alarmsPending: Count,
        },
        { additionalProperties: false },
      ),
    ),
    /** The gateway's link to the hub: why it last went down, when, and how often it went down since the gateway started. */
    link: Type.Optional(
      Type.Object(
        {
          lastError: Type.Union([Type.String({ maxLength: 300 }), Type.Null()]),
          lastErrorAt: Type.Union([Count, Type.Null()]),
          drops: Count,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GatewayStatus = Static<typeof GatewayStatusSchema>;
export const StatusReplySchema = reply(
  Type.Object({ ok: Type.Literal(true), serverTime: Count }, { additionalProperties: false }),
);
export type StatusReply = Static<typeof StatusReplySchema>;

/** A gateway as the cockpit sees it. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const GatewayViewSchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN }),
    connected: Type.Boolean(),
    /** Everything up to here is at the hub (or declared evicted by the gateway). */
    watermark: Count,
    status: Nullable(GatewayStatusSchema),
    statusAt: Nullable(Count),
    /** Gateway clock minus hub clock, ms; null until the first status. */
    clockSkewMs: Nullable(Type.Integer()),
    clockSuspect: Type.Boolean(),
    lostTelemetry: Count,
    /** The area the gateway serves (its community), set when it was enrolled. */
    areaCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{6,15}$' }))),
  },
  { additionalProperties: false },
);
export type GatewayView = Static<typeof GatewayViewSchema>;
export const GatewayViewsSchema = Type.Array(GatewayViewSchema, { maxItems: 10_000 });

export const BatchReplySchema = reply(
  Type.Object(
    {
      ok: Type.Literal(true),
      /** Everything of this gateway up to and including ackSeq is durably stored at the hub. */
      ackSeq: Type.Integer({ minimum: 0 }),
      /** Events refused for authority; not stored, their sequences acknowledged (the gateway drops them). */
      rejected: Rejected,
    },
    { additionalProperties: false },
  ),
);
export type BatchReply = Static<typeof BatchReplySchema>;

/**
 * Hub → cockpit and wall (`city:changed`): another city version became active on
 * this node. The page's areas are the old version's until it reloads: a cockpit
 * shows a banner with a reload, a wall reloads at the end of its tour step.
 */
export const CityChangedSchema = Type.Object(
  {
    versionId: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    demo: Type.Boolean(),
    areaCount: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CityChanged = Static<typeof CityChangedSchema>;

export const CockpitAuthSchema = Type.Object(
  {
    key: Type.String({ minLength: 16, maxLength: 256 }),
    /**
     * A grid worker's phone (/field/): only what is addressed to this user (tasks), not the
     * area's live events, which would drain a cheap phone's data plan and battery.
     */
    field: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);

export const RecentQuerySchema = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);
export type RecentQuery = Static<typeof RecentQuerySchema>;
export type RecentReply = { ok: true; events: LinliEvent[] } | { ok: false; error: WireError };

/** Largest picture a gateway may send: a cockpit thumbnail, never a full frame. */
export const MAX_MEDIA_BYTES = 256 * 1024;
/**
 * A camera picture for an event, sent after the event itself (never holding it
 * up). Already masked at the gateway. `bytes` is binary (a Buffer on the wire);
 * the schema checks the fields, `checkMediaBytes` the bytes.
 */
export const MediaMessageSchema = Type.Object(
  {
    eventId: Type.String({ pattern: ULID_PATTERN }),
    /** The event's sequence: the hub checks (gateway, seq) holds eventId, so a gateway can only illustrate its own events. */
    eventSeq: Type.Integer({ minimum: 1 }),
    cameraId: Type.String({ pattern: ID_PATTERN }),
    takenAt: Type.Integer({ minimum: 0 }),
    contentType: Type.Literal('image/webp'),
    bytes: Type.Unsafe<Uint8Array>({}),
  },
  { additionalProperties: false },
);
export type MediaMessage = Static<typeof MediaMessageSchema>;
export const MediaReplySchema = reply(Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false }));
export type MediaReply = Static<typeof MediaReplySchema>;

/** Why `bytes` is not an acceptable WebP thumbnail, or null when it is. */
export function checkMediaBytes(bytes: unknown): string | null {
  if (!(bytes instanceof Uint8Array)) return 'bytes must be binary';
  if (bytes.length > MAX_MEDIA_BYTES) return `bytes exceed ${MAX_MEDIA_BYTES}`;
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length < 16 || ascii(0, 4) !== 'RIFF' || ascii(8, 12) !== 'WEBP') return 'bytes are not a WebP image';
  return null;
}

/** Gateway → hub events (namespace `/gateway`). */
export interface GatewayToHub {
  hello: (msg: Hello, ack: (r: HelloReply) => void) => void;
  events: (batch: EventBatch, ack: (r: BatchReply) => void) => void;
  live: (batch: LiveBatch, ack: (r: LiveReply) => void) => void;
  status: (status: GatewayStatus, ack: (r: StatusReply) => void) => void;
  media: (msg: MediaMessage, ack: (r: MediaReply) => void) => void;
}
/** Hub → gateway events: the command downlink (see commands.ts); the gateway answers every command. */
export interface HubToGateway {
  command: (cmd: Command, ack: (r: CommandReply) => void) => void;
}

/** Hub → cockpit events (namespace `/cockpit`). */
export interface HubToCockpit {
  /** Newly stored events, in per-gateway sequence order, batched per gateway batch. */
  events: (events: LinliEvent[]) => void;
  /** Every gateway's delivery state and self-reported status, every few seconds. */
  gateways: (gateways: GatewayView[]) => void;
  /** One alert that changed (raised, folded, moved, escalated): `AlertSchema` (rest/alerts.ts, docs/alerts.md). */
  alert: (alert: Alert) => void;
  /** Field work (positions, check-ins, patrols; contract/src/field.ts), only to roles that oversee it. */
  field: (update: FieldUpdate) => void;
  /** Another city version became active (CityChangedSchema). */
  'city:changed': (msg: CityChanged) => void;
}
export interface CockpitToHub {
  recent: (q: RecentQuery, ack: (r: RecentReply) => void) => void;
}

/**
 * A refused Socket.IO handshake: Socket.IO hands `data` to the client's
 * `connect_error`, so the client reads the code (and when to retry) from
 * fields; the message stays for people and logs.
 */
export function handshakeRefusal(
  code: ErrorCode,
  message: string,
  retryAfterMs?: number,
): Error & { data: { code: ErrorCode; retryAfterMs?: number } } {
  return Object.assign(new Error(message), { data: { code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } });
}

export function failure(
  code: ErrorCode,
  message: string,
  issues?: WireError['issues'],
  extra: { retryAfterMs?: number } = {},
): { ok: false; error: WireError } {
  return { ok: false, error: { code, message, ...(issues ? { issues } : {}), ...extra } };
}
