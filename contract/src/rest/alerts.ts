import { type Static, Type } from '@sinclair/typebox';
import { CommandSchema } from '../commands.js';
import { ID_PATTERN } from '../event.js';
import { EVENT_KINDS, SEVERITIES } from '../kinds.js';
import { AreaCode, Count, Millis, Nullable, okReply, oneOf, Ulid } from './shapes.js';

/**
 * Where an alert is in its work. `escalated` is not a state: escalation raises
 * `level` and leaves the work state alone, so an overdue dispatched alert is
 * still waiting for its assignee to acknowledge, only louder.
 */
export const ALERT_STATES = ['raised', 'dispatched', 'acknowledged', 'resolved', 'suppressed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const OPEN_ALERT_STATES = ['raised', 'dispatched', 'acknowledged'] as const;

/** What a history row records. Transitions change `state`; the others change level or notes. */
export const ALERT_ACTIONS = [
  'raise',
  'dispatch',
  'acknowledge',
  'resolve',
  'suppress',
  'unsuppress',
  'escalate',
  'source_cleared',
  /** Field steps of the assignee (docs/field.md): on the way, arrived (position checked). No state change. */
  'en_route',
  'arrive',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

const AlertStateSchema = oneOf(ALERT_STATES);
const Kind = oneOf(EVENT_KINDS);

/** Who an alert is dispatched to: one person or a team (a grid's workers, a property company). */
export const AssigneeSchema = Type.Object(
  { type: Type.Union([Type.Literal('user'), Type.Literal('team')]), id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type Assignee = Static<typeof AssigneeSchema>;

/** An alert as the hub keeps it and sends it (REST and the cockpit's `alert` message); docs/alerts.md. */
export const AlertSchema = Type.Object(
  {
    /** ULID, assigned by the hub when the first alarm arrives. */
    id: Ulid,
    state: AlertStateSchema,
    /** 0 until an SLA deadline passes; +1 per missed deadline, up to the configured maximum. */
    level: Count,
    /** Bumped by every change (fold, transition, escalation); the compare-and-set key. */
    version: Type.Integer({ minimum: 1 }),
    kind: Kind,
    severity: oneOf(SEVERITIES),
    gatewayId: Type.String({ pattern: ID_PATTERN }),
    deviceId: Type.String({ pattern: ID_PATTERN }),
    gridId: Type.String({ pattern: '^[0-9]{15}$' }),
    lng: Type.Number(),
    lat: Type.Number(),
    /** Alarms folded into this alert, the first included. */
    count: Type.Integer({ minimum: 1 }),
    firstEventId: Ulid,
    /** Gateway clock of the first and latest alarm (the event's `receivedAt`). */
    firstEventAt: Millis,
    lastEventAt: Millis,
    /** Hub clock. */
    raisedAt: Millis,
    stateSince: Millis,
    updatedAt: Millis,
    /** Next escalation deadline (hub clock); null when no timer runs (resolved, suppressed, top level). */
    dueAt: Nullable(Millis),
    assignee: Nullable(AssigneeSchema),
    resolution: Nullable(Type.String()),
    /** Set when the source reported the condition over (e.g. smoke.alarm active:false); the alert stays open. */
    clearedAt: Nullable(Millis),
    /** The maintenance window that suppressed this alert, if any. */
    windowId: Nullable(Type.String()),
    /** A life-safety alarm raised inside a maintenance window: never suppressed, only marked (维护期间). */
    duringWindowId: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type Alert = Static<typeof AlertSchema>;

/** One recorded change of an alert, as people read it: who by name, what happened in Chinese. */
export const HistoryViewSchema = Type.Object(
  {
    /** 1 for the raise, then one more per recorded change. */
    seq: Type.Integer({ minimum: 1 }),
    at: Millis,
    /** A user id, or `system` for the hub itself. */
    actor: Type.String(),
    action: oneOf(ALERT_ACTIONS),
    from: Nullable(AlertStateSchema),
    to: AlertStateSchema,
    level: Count,
    note: Nullable(Type.String()),
    actorName: Type.String(),
    text: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * `pending`: a wide window waiting for a city-level approver (silences nothing);
 * `approved`: silences while open; `ended`: ended early, or withdrawn/refused while pending.
 */
export const WINDOW_STATUSES = ['pending', 'approved', 'ended'] as const;
export const MaintenanceWindowSchema = Type.Object(
  {
    id: Type.String(),
    status: oneOf(WINDOW_STATUSES),
    /** Area code prefix the window covers (a grid code matches when it starts with it). */
    areaPrefix: AreaCode,
    deviceId: Nullable(Type.String()),
    kind: Nullable(Kind),
    /** [startsAt, endsAt), compared with the alarm's `receivedAt`. */
    startsAt: Millis,
    endsAt: Millis,
    reason: Type.String(),
    createdBy: Type.String(),
    createdAt: Millis,
    /** Wider than one device or kind in one community: needed a city-level approver. */
    wide: Type.Boolean(),
    approvedBy: Nullable(Type.String()),
    approvedAt: Nullable(Millis),
    endedBy: Nullable(Type.String()),
    endedAt: Nullable(Millis),
    /** The planned end before the 013 migration cut an over-long window to 24 h; null otherwise. */
    clampedFrom: Nullable(Millis),
  },
  { additionalProperties: false },
);
export type MaintenanceWindowView = Static<typeof MaintenanceWindowSchema>;

export const AlertListReplySchema = okReply({ alerts: Type.Array(AlertSchema) });
export const AlertReplySchema = okReply({ alert: AlertSchema, eventIds: Type.Array(Ulid) });
export const AlertHistoryReplySchema = okReply({ history: Type.Array(HistoryViewSchema) });
export const MaintenanceListReplySchema = okReply({ windows: Type.Array(MaintenanceWindowSchema) });

/** A command and where it is: queued, sent, done (with result), failed or expired. */
export const CommandRecordReplySchema = okReply({
  command: Type.Object(
    {
      command: CommandSchema,
      gatewayId: Type.String({ pattern: ID_PATTERN }),
      state: oneOf(['queued', 'sent', 'done', 'failed', 'expired'] as const),
      result: Nullable(Type.Record(Type.String(), Type.Unknown())),
      error: Nullable(Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false })),
      updatedAt: Millis,
    },
    { additionalProperties: false },
  ),
});
