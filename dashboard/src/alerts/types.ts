import type { AlertAction, AlertState, EventKind } from '@linli/contract';

// The alert as it crosses the wire is the contract's (rest/alerts.ts): the hub, the REST replies and the
// cockpit share that one schema, and a test checks every route's reply against it.
export {
  ALERT_ACTIONS,
  ALERT_STATES,
  type Alert,
  type AlertAction,
  type AlertState,
  type Assignee,
} from '@linli/contract';

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
