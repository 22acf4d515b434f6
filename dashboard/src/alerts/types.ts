import type { EventKind, Severity } from '@linli/contract';

/**
 * Where an alert is in its work. `escalated` is not a state: escalation raises
 * `level` and leaves the work state alone, so an overdue dispatched alert is
 * still waiting for its assignee to acknowledge, only louder.
 */
export const ALERT_STATES = ['raised', 'dispatched', 'acknowledged', 'resolved', 'suppressed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

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

/** Who an alert is dispatched to: one person or a team (a grid's workers, a property company). */
export interface Assignee {
  type: 'user' | 'team';
  id: string;
}

export interface Alert {
  /** ULID, assigned by the hub when the first alarm arrives. */
  id: string;
  state: AlertState;
  /** 0 until an SLA deadline passes; +1 per missed deadline, up to the configured maximum. */
  level: number;
  /** Bumped by every change (fold, transition, escalation); the compare-and-set key. */
  version: number;
  kind: EventKind;
  severity: Severity;
  gatewayId: string;
  deviceId: string;
  gridId: string;
  lng: number;
  lat: number;
  /** Alarms folded into this alert, the first included. */
  count: number;
  firstEventId: string;
  /** Gateway clock of the first and latest alarm (the event's `receivedAt`). */
  firstEventAt: number;
  lastEventAt: number;
  /** Hub clock. */
  raisedAt: number;
  stateSince: number;
  updatedAt: number;
  /** Next escalation deadline (hub clock); null when no timer runs (resolved, suppressed, top level). */
  dueAt: number | null;
  assignee: Assignee | null;
  resolution: string | null;
  /** Set when the source reported the condition over (e.g. smoke.alarm active:false); the alert stays open. */
  clearedAt: number | null;
  /** The maintenance window that suppressed this alert, if any. */
  windowId: string | null;
  /**
   * A life-safety alarm raised inside a maintenance window: never suppressed,
   * only marked (维护期间) with the window it fell in.
   */
  duringWindowId: string | null;
}

export interface HistoryEntry {
  /** 1 for the raise, then one more per recorded change. */
  seq: number;
  at: number;
  /** A user id, or `system` for the hub itself (raise, suppress, escalate, source cleared). */
  actor: string;
  action: AlertAction;
  from: AlertState | null;
  to: AlertState;
  level: number;
  note: string | null;
}

/**
 * `pending`: a wide window waiting for a city-level approver (silences nothing);
 * `approved`: silences while open; `ended`: ended early, or withdrawn/refused while pending.
 */
export const WINDOW_STATUSES = ['pending', 'approved', 'ended'] as const;
export type WindowStatus = (typeof WINDOW_STATUSES)[number];

export interface MaintenanceWindow {
  id: string;
  status: WindowStatus;
  /** Area code prefix the window covers (4–15 digits; a grid code matches when it starts with it). */
  areaPrefix: string;
  /** Narrow to one device and/or one kind; null means any. */
  deviceId: string | null;
  kind: EventKind | null;
  /** [startsAt, endsAt) in ms since epoch, compared with the alarm's `receivedAt`. */
  startsAt: number;
  endsAt: number;
  reason: string;
  createdBy: string;
  createdAt: number;
  /** Wider than one device or kind in one community: needed a city-level approver. */
  wide: boolean;
  approvedBy: string | null;
  approvedAt: number | null;
  endedBy: string | null;
  endedAt: number | null;
  /** The planned end before the 013 migration cut an over-long window to 24 h; null otherwise. */
  clampedFrom: number | null;
}

export const SYSTEM_ACTOR = 'system';
