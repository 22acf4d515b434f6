import { type Static, Type } from '@sinclair/typebox';
import { AlertSchema } from './alerts.js';
import { AreaCode, Count, Millis, Nullable, okReply, oneOf, Ulid } from './shapes.js';

/** What the field phone app and the cockpit's field panel read (docs/field.md); cut to the caller's area by the hub. */

export const FieldConfigReplySchema = okReply({
  categories: Type.Array(Type.String({ minLength: 1 })),
  checkInRadiusM: Type.Number({ minimum: 0 }),
  arrivalToleranceM: Type.Number({ minimum: 0 }),
});

/** A photo's description (never its bytes: those are GET /api/field/photos/:id, audited). */
export const FieldPhotoMetaSchema = Type.Object(
  {
    id: Ulid,
    alertId: Ulid,
    gridId: AreaCode,
    userId: Type.String(),
    purpose: oneOf(['matter', 'resolve'] as const),
    takenAt: Millis,
  },
  { additionalProperties: false },
);

/** A task as the phone shows it: the alert, the matter's words if it is one, its photos. */
export const FieldTaskSchema = Type.Composite(
  [
    AlertSchema,
    Type.Object({
      matter: Nullable(
        Type.Object(
          {
            category: Type.String(),
            description: Type.String(),
            reportedBy: Type.String(),
            /** Where the position came from: the phone's GPS, or a pin the worker placed on the grid map. */
            positionSource: oneOf(['gps', 'pin'] as const),
          },
          { additionalProperties: false },
        ),
      ),
      photos: Type.Array(FieldPhotoMetaSchema),
    }),
  ],
  { additionalProperties: false },
);
export type FieldTask = Static<typeof FieldTaskSchema>;
export const FieldTasksReplySchema = okReply({ tasks: Type.Array(FieldTaskSchema) });

/** The grids a phone may draw: the worker's area and the grids of their tasks, outer ring only. */
export const FieldGridsReplySchema = okReply({
  grids: Type.Array(
    Type.Object(
      {
        code: AreaCode,
        name: Type.String(),
        ring: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { minItems: 3 }),
      },
      { additionalProperties: false },
    ),
  ),
});

/** A matter reported by a worker: its alert, category and description. */
export const MatterSchema = Type.Composite(
  [AlertSchema, Type.Object({ category: Type.String(), description: Type.String() })],
  { additionalProperties: false },
);
export type Matter = Static<typeof MatterSchema>;
export const MattersReplySchema = okReply({ matters: Type.Array(MatterSchema) });

export const PatrolRouteSchema = Type.Object(
  {
    id: Type.String(),
    gridId: AreaCode,
    name: Type.String(),
    createdBy: Type.String(),
    createdAt: Millis,
    points: Type.Array(
      Type.Object(
        { id: Type.String(), seq: Count, name: Type.String(), lng: Type.Number(), lat: Type.Number() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PatrolRoute = Static<typeof PatrolRouteSchema>;
export const PatrolRoutesReplySchema = okReply({ routes: Type.Array(PatrolRouteSchema) });

/** A worker on patrol or on a task: last position and its age (shown only while one is open). */
export const FieldWorkerSchema = Type.Object(
  {
    userId: Type.String(),
    name: Type.String(),
    gridId: AreaCode,
    lng: Type.Number(),
    lat: Type.Number(),
    at: Millis,
    ageMs: Type.Integer(),
    patrolId: Nullable(Type.String()),
    openTasks: Count,
  },
  { additionalProperties: false },
);
export type FieldWorker = Static<typeof FieldWorkerSchema>;
export const FieldWorkersReplySchema = okReply({ workers: Type.Array(FieldWorkerSchema) });

export const FieldPatrolSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    routeId: Nullable(Type.String()),
    gridId: AreaCode,
    startedAt: Millis,
    endedAt: Nullable(Millis),
    /** [lng, lat, at] per recorded position. */
    track: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Millis])),
    checkins: Type.Array(
      Type.Object({ pointId: Type.String(), at: Millis, distanceM: Count }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export const FieldPatrolsReplySchema = okReply({ patrols: Type.Array(FieldPatrolSchema) });

/** One worker's or one grid's figures for the evaluation (考评) over a period. */
const FieldReviewRow = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    reported: Count,
    handled: Count,
    medianAcceptMs: Nullable(Type.Integer()),
    medianResolveMs: Nullable(Type.Integer()),
    overdue: Count,
    patrols: Count,
    checkins: Count,
    /** Check-in points to visit in the period, and the distinct ones visited (coverage = visited / points). */
    points: Count,
    visited: Count,
  },
  { additionalProperties: false },
);
export const FieldReviewReplySchema = okReply({
  from: Millis,
  to: Millis,
  workers: Type.Array(FieldReviewRow),
  grids: Type.Array(FieldReviewRow),
});

/** Whom to dispatch an alert to: the grid's workers (no distance), then the nearest on patrol. */
export const DispatchCandidateSchema = Type.Object(
  {
    userId: Type.String(),
    name: Type.String(),
    reason: oneOf(['grid', 'patrol'] as const),
    distanceM: Nullable(Count),
  },
  { additionalProperties: false },
);
export type DispatchCandidate = Static<typeof DispatchCandidateSchema>;
export const DispatchSuggestReplySchema = okReply({ candidates: Type.Array(DispatchCandidateSchema) });
