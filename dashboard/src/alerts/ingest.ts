import { type LinliEvent, SEVERITIES, type Severity } from '@linli/contract';
import type { AlertTables } from './alert-tables.js';
import { classify } from './classify.js';
import { type AlertConfig, slaFor } from './config.js';
import type { MaintenanceWindows } from './maintenance.js';
import type { AlertRow } from './rows.js';
import { type AlertState, SYSTEM_ACTOR } from './types.js';

export interface IngestContext {
  tables: AlertTables;
  windows: MaintenanceWindows;
  config: AlertConfig;
  now: number;
  newId: (time: number) => string;
}

const higher = (a: string, b: string): Severity =>
  SEVERITIES[Math.max(SEVERITIES.indexOf(a as Severity), SEVERITIES.indexOf(b as Severity))]!;

/**
 * Turns stored events into alert changes; returns the ids of alerts it
 * created or changed. Runs inside the caller's write transaction. An event id
 * already linked to an alert is skipped, so a replayed batch changes nothing.
 */
export function ingestEvents(ctx: IngestContext, events: readonly LinliEvent[]): Set<string> {
  const changed = new Set<string>();
  for (const e of events) {
    const role = classify(e);
    if (role.role === 'none' || ctx.tables.hasEvent(e.id)) continue;
    if (role.role === 'clear') {
      for (const id of clearSource(ctx, e, role.kind)) changed.add(id);
      continue;
    }
    changed.add(raise(ctx, e));
  }
  return changed;
}

function raise(ctx: IngestContext, e: LinliEvent): string {
  const { tables, now } = ctx;
  const window = ctx.windows.match(e.location.gridId, e.deviceId, e.kind, e.receivedAt);
  // A suppressed alert absorbs only alarms that are themselves inside a window:
  // once maintenance is over, a real alarm must surface instead of folding out of sight.
  const target = tables
    .openForSource(e.gatewayId, e.deviceId, e.kind)
    .find(
      (a) =>
        (window !== null || a.state !== 'suppressed') &&
        Math.abs(e.receivedAt - a.last_event_at) <= ctx.config.foldWindowMs,
    );
  if (target) {
    if (!tables.fold(target, e.receivedAt, higher(target.severity, e.severity), now)) conflict(target);
    tables.linkEvent(e.id, target.id, 'fold', now);
    return target.id;
  }
  const id = ctx.newId(now);
  const sla = slaFor(ctx.config, e.kind, e.severity);
  tables.insert({
    id,
    kind: e.kind,
    severity: e.severity,
    gatewayId: e.gatewayId,
    deviceId: e.deviceId,
    gridId: e.location.gridId,
    lng: e.location.lng,
    lat: e.location.lat,
    eventId: e.id,
    at: e.receivedAt,
    now,
    dueAt: now + sla.dispatchMs,
  });
  tables.linkEvent(e.id, id, 'raise', now);
  tables.addHistory({
    alertId: id,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'raise',
    from: null,
    to: 'raised',
    level: 0,
    note: `${e.kind} from ${e.gatewayId}/${e.deviceId} (event ${e.id})`,
  });
  if (window) {
    const row = tables.byId(id)!;
    const ok = tables.change(row, {
      state: 'suppressed',
      stateSince: now,
      dueAt: null,
      assigneeType: null,
      assigneeId: null,
      resolution: null,
      windowId: window.id,
      now,
    });
    if (!ok) conflict(row);
    tables.addHistory({
      alertId: id,
      at: now,
      actor: SYSTEM_ACTOR,
      action: 'suppress',
      from: 'raised',
      to: 'suppressed',
      level: 0,
      note: `maintenance window ${window.id}: ${window.reason}`,
    });
  }
  return id;
}

/**
 * "Condition over" marks the source's open alerts as cleared and keeps them
 * open: smoke that stopped still needs someone to look and resolve. A clear
 * older than the alert's latest alarm is stale (delivered out of order) and ignored.
 */
function clearSource(ctx: IngestContext, e: LinliEvent, kind: string): string[] {
  const out: string[] = [];
  for (const a of ctx.tables.openForSource(e.gatewayId, e.deviceId, kind)) {
    if (a.cleared_at !== null || e.receivedAt < a.last_event_at) continue;
    if (!ctx.tables.clear(a, ctx.now)) conflict(a);
    ctx.tables.linkEvent(e.id, a.id, 'clear', ctx.now);
    ctx.tables.addHistory({
      alertId: a.id,
      at: ctx.now,
      actor: SYSTEM_ACTOR,
      action: 'source_cleared',
      from: a.state as AlertState,
      to: a.state as AlertState,
      level: a.level,
      note: `${e.kind} reports the condition over (event ${e.id})`,
    });
    out.push(a.id);
  }
  return out;
}

// Inside BEGIN IMMEDIATE nobody else can write, so a lost compare-and-set is our bug, not a race.
function conflict(row: AlertRow): never {
  throw new Error(`alert ${row.id} changed under a write transaction (version ${row.version})`);
}
