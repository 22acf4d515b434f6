import { type LinliEvent, SEVERITIES, type Severity, StorageFault } from '@linli/contract';
import type { SqlExec } from '../store/sql/sql-db.js';
import type { AlertTables } from './alert-tables.js';
import { classify } from './classify.js';
import { isLifeSafety } from './life-safety.js';
import { type AlertConfig, slaFor } from './config.js';
import type { MaintenanceWindows } from './maintenance.js';
import type { AlertRow } from './rows.js';
import { type AlertState, SYSTEM_ACTOR } from './types.js';

export interface IngestContext {
  /** Over the caller's transaction. */
  tables: AlertTables;
  /** The transaction `tables` runs in (maintenance windows read through it too). */
  exec: SqlExec;
  windows: MaintenanceWindows;
  config: AlertConfig;
  now: number;
  newId: (time: number) => string;
}

const higher = (a: string, b: string): Severity =>
  SEVERITIES[Math.max(SEVERITIES.indexOf(a as Severity), SEVERITIES.indexOf(b as Severity))]!;

/**
 * The lock key of one alarm source (gateway, device, alarm kind): whoever
 * folds into, raises or clears that source's alerts holds it, so two hub
 * nodes ingesting alarms of one source at once take turns and see each
 * other's alert instead of raising two.
 */
export function sourceKey(gatewayId: string, deviceId: string, kind: string): string {
  return `alert-source:${gatewayId}|${deviceId}|${kind}`;
}

/** The source keys a batch touches, sorted, so every node takes them in the same order (no deadlock). */
export function sourceKeys(events: readonly LinliEvent[]): string[] {
  const keys = new Set<string>();
  for (const e of events) {
    const role = classify(e);
    if (role.role === 'none') continue;
    keys.add(sourceKey(e.gatewayId, e.deviceId, role.role === 'clear' ? role.kind : e.kind));
  }
  return [...keys].sort();
}

/**
 * Turns stored events into alert changes; returns the ids of alerts it
 * created or changed. Runs inside the caller's write transaction, which holds
 * the locks of every source in `events` (`sourceKeys`). An event id already
 * taken (linked to an alert, or an all-clear remembered as quiet) is skipped,
 * so a replayed batch changes nothing.
 */
export async function ingestEvents(ctx: IngestContext, events: readonly LinliEvent[]): Promise<Set<string>> {
  const changed = new Set<string>();
  for (const e of events) {
    const role = classify(e);
    if (role.role === 'none' || (await ctx.tables.hasEvent(e.id))) continue;
    if (role.role === 'clear') {
      const cleared = await clearSource(ctx, e, role.kind);
      for (const id of cleared) changed.add(id);
      // Nothing to clear (no open alert, or a stale clear): remember the id all the same,
      // or a resend arriving after the source's next alarm would clear that alarm.
      if (cleared.length === 0) await ctx.tables.markQuiet(e.id, e.receivedAt);
      continue;
    }
    changed.add(await raise(ctx, e));
  }
  return changed;
}

async function raise(ctx: IngestContext, e: LinliEvent): Promise<string> {
  const { tables, now } = ctx;
  const covering = await ctx.windows.match(e.location.gridId, e.deviceId, e.kind, e.receivedAt, ctx.exec);
  // Fire, gas, a call for help, a trapped passenger: maintenance marks them, never silences them.
  const lifeSafety = covering !== null && isLifeSafety(e, ctx.config.maintenance);
  const window = lifeSafety ? null : covering;
  // A suppressed alert absorbs only alarms that are themselves inside a window:
  // once maintenance is over, a real alarm must surface instead of folding out of sight.
  for (let attempt = 1; ; attempt++) {
    const target = (await tables.openForSource(e.gatewayId, e.deviceId, e.kind)).find(
      (a) =>
        (window !== null || a.state !== 'suppressed') &&
        Math.abs(e.receivedAt - a.last_event_at) <= ctx.config.foldWindowMs,
    );
    if (!target) break;
    if (await tables.fold(target, e.receivedAt, higher(target.severity, e.severity), now)) {
      await tables.linkEvent(e.id, target.id, 'fold', now);
      return target.id;
    }
    // Someone moved the alert on (a person's action, an escalation) since we read it: read it again.
    if (attempt === CAS_ATTEMPTS) conflict(target);
  }
  const id = ctx.newId(now);
  const sla = slaFor(ctx.config, e.kind, e.severity);
  await tables.insert({
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
    duringWindowId: lifeSafety ? covering.id : null,
  });
  await tables.linkEvent(e.id, id, 'raise', now);
  await tables.addHistory({
    alertId: id,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'raise',
    from: null,
    to: 'raised',
    level: 0,
    note:
      `${e.kind} from ${e.gatewayId}/${e.deviceId} (event ${e.id})` +
      (lifeSafety ? `; 维护期间 during maintenance window ${covering.id}, life-safety alarm not suppressed` : ''),
  });
  if (window) {
    const row = (await tables.byId(id))!;
    const ok = await tables.change(row, {
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
    await tables.addHistory({
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
async function clearSource(ctx: IngestContext, e: LinliEvent, kind: string): Promise<string[]> {
  const out: string[] = [];
  for (const open of await ctx.tables.openForSource(e.gatewayId, e.deviceId, kind)) {
    let a: AlertRow | undefined = open;
    for (let attempt = 1; a; attempt++) {
      if (a.state === 'resolved' || a.cleared_at !== null || e.receivedAt < a.last_event_at) {
        a = undefined;
        break;
      }
      if (await ctx.tables.clear(a, ctx.now)) break;
      // Moved on meanwhile (a person's action, an escalation): read it again.
      if (attempt === CAS_ATTEMPTS) conflict(a);
      a = await ctx.tables.byId(a.id);
    }
    if (!a) continue;
    await ctx.tables.linkEvent(e.id, a.id, 'clear', ctx.now);
    await ctx.tables.addHistory({
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

/**
 * Folds and clears hold the source's lock, but people's actions and
 * escalations change an alert under its version alone; a compare-and-set lost
 * to them is retried on a fresh read. Losing this often means something is
 * wrong: the transaction rolls back.
 */
const CAS_ATTEMPTS = 5;

function conflict(row: AlertRow): never {
  throw new StorageFault(
    'STORAGE',
    `alert ${row.id} kept changing while an alarm was folded into or cleared on it (version ${row.version})`,
  );
}
