import { type Static, Type } from '@sinclair/typebox';
import { GRID_CODE_PATTERN, ID_PATTERN, ULID_PATTERN } from './event.js';

/**
 * What a grid worker's phone sends to the hub and what the hub answers
 * (REST `/api/field/*`, see docs/field.md). Every phone action carries an id
 * the phone made up and a per-device sequence number, so an offline queue can
 * replay a batch any number of times and the hub applies each action exactly
 * once, in order.
 */

const Strict = { additionalProperties: false } as const;
/** A client-made id (ULID or UUID, letters, digits and dashes). */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9-]{7,63}$';
const ClientId = Type.String({ pattern: CLIENT_ID_PATTERN });
const Time = Type.Integer({ minimum: 0 });

export const FieldPositionSchema = Type.Object(
  {
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    /** Metres, as the browser's geolocation reports it. */
    accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  },
  Strict,
);
export type FieldPosition = Static<typeof FieldPositionSchema>;
/**
 * A matter's position: a fix, or a pin the worker placed on the grid map when
 * there is no fix or it is wrong ('pin'; default 'gps'). Only a matter takes a
 * pin: arrival and check-in must be where the phone really is.
 */
export const MatterPositionSchema = Type.Object(
  {
    ...FieldPositionSchema.properties,
    source: Type.Optional(Type.Union([Type.Literal('gps'), Type.Literal('pin')])),
  },
  Strict,
);

/** Largest photo, base64-encoded: a JPEG of at most 1280 px resized on the phone stays well under it. */
export const MAX_FIELD_PHOTO_BASE64 = 1_400_000;
export const MAX_FIELD_PHOTOS = 4;
export const FieldPhotoSchema = Type.Object(
  {
    contentType: Type.Literal('image/jpeg'),
    /** Base64 of the JPEG bytes (the hub checks the JPEG signature). */
    data: Type.String({ minLength: 8, maxLength: MAX_FIELD_PHOTO_BASE64, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
    takenAt: Type.Optional(Time),
  },
  Strict,
);
export type FieldPhoto = Static<typeof FieldPhotoSchema>;
const Photos = Type.Array(FieldPhotoSchema, { maxItems: MAX_FIELD_PHOTOS });
const AlertId = Type.String({ pattern: ULID_PATTERN });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** Outcomes of a visit (走访): a fixed list, so no free text carries personal data the register does not hold. */
export const VISIT_OUTCOMES = ['正常', '需跟进', '未遇', '已转办'] as const;

const common = { clientId: ClientId, seq: Type.Integer({ minimum: 1 }), at: Time };
const action = <T extends string, P extends Parameters<typeof Type.Object>[0]>(type: T, props: P) =>
  Type.Object({ ...common, type: Type.Literal(type), ...props }, Strict);

/** Every action a phone may send. */
export const FieldActionSchema = Type.Union([
  action('task.accept', { alertId: AlertId }),
  action('task.en_route', { alertId: AlertId, position: Type.Optional(FieldPositionSchema) }),
  action('task.arrive', { alertId: AlertId, position: FieldPositionSchema }),
  action('task.resolve', {
    alertId: AlertId,
    note: Text(500),
    photos: Type.Optional(Photos),
    position: Type.Optional(FieldPositionSchema),
  }),
  action('matter.report', {
    category: Text(32),
    description: Text(1000),
    position: MatterPositionSchema,
    photos: Type.Optional(Photos),
  }),
  action('patrol.start', {
    patrolId: ClientId,
    routeId: Type.Optional(Type.String({ pattern: ULID_PATTERN })),
    position: Type.Optional(FieldPositionSchema),
  }),
  action('patrol.checkin', {
    patrolId: ClientId,
    pointId: Type.String({ pattern: ULID_PATTERN }),
    position: FieldPositionSchema,
  }),
  action('patrol.track', {
    patrolId: ClientId,
    points: Type.Array(
      Type.Object(
        {
          at: Time,
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          accuracy: Type.Optional(Type.Number({ minimum: 0 })),
        },
        Strict,
      ),
      { minItems: 1, maxItems: 500 },
    ),
  }),
  action('patrol.visit', {
    patrolId: Type.Optional(ClientId),
    /** A household or place id already in the register (no new personal data). */
    placeId: Type.String({ pattern: ID_PATTERN }),
    outcome: Type.Union(VISIT_OUTCOMES.map((o) => Type.Literal(o))),
    position: Type.Optional(FieldPositionSchema),
  }),
  action('patrol.stop', { patrolId: ClientId, position: Type.Optional(FieldPositionSchema) }),
]);
export type FieldAction = Static<typeof FieldActionSchema>;
export type FieldActionType = FieldAction['type'];

/** A batch from one phone, in any order; the hub sorts by `seq`. */
export const FieldBatchSchema = Type.Object(
  {
    /** The phone's own id, made once per installation. */
    deviceId: ClientId,
    actions: Type.Array(FieldActionSchema, { minItems: 1, maxItems: 200 }),
  },
  Strict,
);
export type FieldBatch = Static<typeof FieldBatchSchema>;

/**
 * What happened to one action. `applied` and `duplicate` (applied before) and
 * `refused` (a business refusal such as a check-in too far away: final, the
 * sequence moves on) all mean "drop it from the queue"; `out_of_order` means
 * "send from `expectedSeq` first" and nothing after it in the batch was applied.
 */
export const FIELD_RESULT_STATUSES = ['applied', 'duplicate', 'refused', 'out_of_order'] as const;
export const FieldResultSchema = Type.Object(
  {
    clientId: ClientId,
    seq: Type.Integer({ minimum: 1 }),
    status: Type.Union(FIELD_RESULT_STATUSES.map((s) => Type.Literal(s))),
    code: Type.Optional(Type.String({ maxLength: 64 })),
    message: Type.Optional(Type.String({ maxLength: 500 })),
    /** What the action made: the matter's alert id, a check-in's distance. */
    data: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]))),
  },
  Strict,
);
export type FieldResult = Static<typeof FieldResultSchema>;
export const FieldBatchReplySchema = Type.Object(
  {
    ok: Type.Literal(true),
    results: Type.Array(FieldResultSchema),
    /** The highest sequence of this device the hub has applied. */
    lastSeq: Type.Integer({ minimum: 0 }),
  },
  Strict,
);
export type FieldBatchReply = Static<typeof FieldBatchReplySchema>;

/** A patrol route as defined by community staff: ordered check-in points inside one grid. */
export const FieldRouteInputSchema = Type.Object(
  {
    gridId: Type.String({ pattern: GRID_CODE_PATTERN }),
    name: Text(64),
    points: Type.Array(
      Type.Object(
        {
          name: Text(64),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
        },
        Strict,
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  Strict,
);
export type FieldRouteInput = Static<typeof FieldRouteInputSchema>;

/**
 * Hub → cockpit (`field` on `/cockpit`), only to rooms of roles that oversee
 * field work: a worker's position while a patrol or task is open, a
 * check-in, a patrol started or stopped.
 */
export const FieldUpdateSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal('position'),
      Type.Literal('checkin'),
      Type.Literal('patrol_start'),
      Type.Literal('patrol_stop'),
    ]),
    userId: Type.String({ pattern: ULID_PATTERN }),
    /** Display name of the worker (staff, not a resident). */
    name: Type.String({ maxLength: 64 }),
    gridId: Type.String({ pattern: GRID_CODE_PATTERN }),
    at: Time,
    lng: Type.Number(),
    lat: Type.Number(),
    patrolId: Type.Optional(ClientId),
    pointId: Type.Optional(Type.String({ pattern: ULID_PATTERN })),
  },
  Strict,
);
export type FieldUpdate = Static<typeof FieldUpdateSchema>;
