import type { EventKind, Severity } from '@linli/contract';
import type { Alert, AlertAction, AlertState, HistoryEntry, MaintenanceWindow, WindowStatus } from './types.js';
import { isWideWindow } from './window-rules.js';

/** One `alert_alerts` row as SQLite returns it (snake_case, plain columns). */
export interface AlertRow {
  id: string;
  state: string;
  level: number;
  version: number;
  kind: string;
  severity: string;
  gateway_id: string;
  device_id: string;
  grid_id: string;
  lng: number;
  lat: number;
  count: number;
  first_event_id: string;
  first_event_at: number;
  last_event_at: number;
  raised_at: number;
  state_since: number;
  updated_at: number;
  due_at: number | null;
  assignee_type: string | null;
  assignee_id: string | null;
  resolution: string | null;
  cleared_at: number | null;
  window_id: string | null;
  during_window_id: string | null;
}

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    state: r.state as AlertState,
    level: r.level,
    version: r.version,
    kind: r.kind as EventKind,
    severity: r.severity as Severity,
    gatewayId: r.gateway_id,
    deviceId: r.device_id,
    gridId: r.grid_id,
    lng: r.lng,
    lat: r.lat,
    count: r.count,
    firstEventId: r.first_event_id,
    firstEventAt: r.first_event_at,
    lastEventAt: r.last_event_at,
    raisedAt: r.raised_at,
    stateSince: r.state_since,
    updatedAt: r.updated_at,
    dueAt: r.due_at,
    assignee: r.assignee_type && r.assignee_id ? { type: r.assignee_type as 'user' | 'team', id: r.assignee_id } : null,
    resolution: r.resolution,
    clearedAt: r.cleared_at,
    windowId: r.window_id,
    duringWindowId: r.during_window_id,
  };
}

export interface HistoryRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string;
  level: number;
  note: string | null;
}

export function toHistory(r: HistoryRow): HistoryEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action as AlertAction,
    from: r.from_state as AlertState | null,
    to: r.to_state as AlertState,
    level: r.level,
    note: r.note,
  };
}

export interface WindowRow {
  id: string;
  area_prefix: string;
  device_id: string | null;
  kind: string | null;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_at: number;
  status: string;
  approved_by: string | null;
  approved_at: number | null;
  ended_by: string | null;
  ended_at: number | null;
  clamped_from: number | null;
}

export function toWindow(r: WindowRow): MaintenanceWindow {
  return {
    id: r.id,
    areaPrefix: r.area_prefix,
    deviceId: r.device_id,
    kind: r.kind as EventKind | null,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
    status: r.status as WindowStatus,
    wide: isWideWindow({ areaPrefix: r.area_prefix, deviceId: r.device_id, kind: r.kind }),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    endedBy: r.ended_by,
    endedAt: r.ended_at,
    clampedFrom: r.clamped_from,
  };
}
