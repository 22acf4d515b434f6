import { createIdFactory, type LinliEvent, ValidationError } from '@linli/contract';
import { AlertTables } from './alert-tables.js';
import { type AlertConfig, parseAlertConfig, slaFor } from './config.js';
import { AlertError } from './errors.js';
import { type AlertFilter, checkFilter, filterSql } from './filter.js';
import type { SqlDb } from '../store/sql/sql-db.js';
import { ingestEvents, sourceKeys } from './ingest.js';
import { MaintenanceWindows } from './maintenance.js';
import { type AlertRow, toAlert, toHistory } from './rows.js';
import { checkScope, inScopes, scopeSql } from './scope.js';
import { nextState, timedPhase, type TransitionAction } from './state-machine.js';
import { type Alert, type Assignee, type HistoryEntry, SYSTEM_ACTOR } from './types.js';

export interface AlertServiceOptions {
  /** The hub's clock (ms since epoch); tests inject a fake one. */
  now?: () => number;
  /** Operator configuration (SLA timers, fold window); validated, defaults filled in. */
  config?: unknown;
}

/** Who acts and why; `note` is free text written to the history. */
export interface Actor {
  actor: string;
  note?: string;
}

const TICK_BATCH = 500;
/** A person's action lost to a concurrent change (a fold, an escalation) is re-read and retried this often. */
const TRANSITION_ATTEMPTS = 5;
const ACTOR = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

/**
 * The alert lifecycle over the hub's database: alarms in, people move alerts
 * through their states, `tick()` escalates what is overdue. Every method that
 * changes something returns the changed alerts for the hub to broadcast, and
 * every read or change takes the caller's area scope: an alert outside it
 * behaves exactly like one that does not exist.
 */
export class AlertService {
  readonly config: AlertConfig;
  readonly windows: MaintenanceWindows;
  private readonly tables: AlertTables;
  private readonly now: () => number;
  private readonly newId = createIdFactory();

  /** The database must be migrated (006-alerts). Several hubs may share it (PostgreSQL). */
  constructor(
    private readonly db: SqlDb,
    opts: AlertServiceOptions = {},
  ) {
    this.config = parseAlertConfig(opts.config ?? {});
    this.now = opts.now ?? Date.now;
    this.tables = new AlertTables(db);
    this.windows = new MaintenanceWindows(db, this.now, (t) => this.newId(t), this.config.maintenance.maxWindowMs);
  }

  /**
   * Alarms become alerts (or fold into open ones); "condition over" events
   * mark them cleared. One transaction holding the lock of every alarm source
   * in the batch, so two hubs ingesting alarms of one source at once never
   * raise two alerts for it.
   */
  async ingest(events: readonly LinliEvent[]): Promise<Alert[]> {
    // Most traffic is telemetry: no write transaction (and no fsync) unless something concerns alerts.
    const keys = sourceKeys(events);
    if (keys.length === 0) return [];
    const ids = await this.db.tx(async (t) => {
      for (const k of keys) await t.lock(k);
      return ingestEvents(
        {
          tables: new AlertTables(t),
          exec: t,
          windows: this.windows,
          config: this.config,
          now: this.now(),
          newId: (time) => this.newId(time),
        },
        events,
      );
    });
    return this.alertsById([...ids]);
  }

  /** Retention: forgets all-clears that changed nothing once their events are past `olderThan`. */
  prune(olderThan: number, limit: number): Promise<number> {
    return this.tables.pruneQuiet(olderThan, limit);
  }

  async dispatch(id: string, scope: readonly string[], by: Actor & { assignee: Assignee }): Promise<Alert> {
    const a = by.assignee as Partial<Assignee> | undefined;
    if (!a || (a.type !== 'user' && a.type !== 'team') || typeof a.id !== 'string' || !ACTOR.test(a.id))
      throw new ValidationError('dispatch', [{ field: 'assignee', message: 'must be {type: user|team, id}' }]);
    return this.transition(id, scope, 'dispatch', by, { assigneeType: a.type, assigneeId: a.id });
  }

  async acknowledge(id: string, scope: readonly string[], by: Actor): Promise<Alert> {
    return this.transition(id, scope, 'acknowledge', by, {});
  }

  /** Closes the alert for good; the note (what was found and done) is required. */
  async resolve(id: string, scope: readonly string[], by: Actor & { note: string }): Promise<Alert> {
    const note = typeof by.note === 'string' ? by.note.trim() : '';
    if (!note) throw new AlertError('ALERT_NOTE_REQUIRED', `resolving alert ${id} needs a note saying what was done`);
    return this.transition(id, scope, 'resolve', { ...by, note }, { resolution: note });
  }

  /** Brings a suppressed alert back to raised: it turned out to be real, maintenance or not. */
  async unsuppress(id: string, scope: readonly string[], by: Actor): Promise<Alert> {
    return this.transition(id, scope, 'unsuppress', by, { windowId: null });
  }

  /**
   * A step of the assignee in the field that moves no state (on the way,
   * arrived): in the history and a new version for the cockpits. Only while
   * the alert is acknowledged.
   */
  async step(id: string, scope: readonly string[], by: Actor, action: 'en_route' | 'arrive'): Promise<Alert> {
    const now = this.now();
    return this.db.tx(async (t) => {
      const tables = new AlertTables(t);
      await t.lock(`alert:${id}`);
      for (let attempt = 1; ; attempt++) {
        const row = await this.scoped(id, scope, tables);
        if (!row) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id} in your area`, { alertId: id });
        if (row.state !== 'acknowledged')
          throw new AlertError('ALERT_INVALID_TRANSITION', `cannot ${action} alert ${id}: it is ${row.state}`, {
            alertId: id,
            action,
            current: row.state as Alert['state'],
            allowed: [],
          });
        if (!(await tables.touch(row, now))) {
          if (attempt < TRANSITION_ATTEMPTS) continue;
          throw new AlertError('ALERT_CONFLICT', `alert ${id} changed meanwhile; read it again`, { alertId: id });
        }
        const state = row.state as Alert['state'];
        await tables.addHistory({
          ...{ alertId: id, at: now, actor: by.actor, action, from: state, to: state },
          ...{ level: row.level, note: by.note ?? null },
        });
        return toAlert((await tables.byId(id))!);
      }
    });
  }

  /**
   * Escalates every alert whose deadline has passed, once per deadline. Safe
   * against other hubs on the same database: each escalation is a conditional
   * UPDATE on what was read (version, state, level, due_at), so of two callers
   * that saw the same overdue alert exactly one changes the row, and only that
   * one writes the history entry and reports it. Returns the alerts this caller escalated.
   */
  async tick(): Promise<Alert[]> {
    const now = this.now();
    // Candidates are read outside the transaction, to keep it short; the conditional UPDATE rejects stale ones.
    const candidates = await this.tables.overdue(now, TICK_BATCH);
    if (candidates.length === 0) return [];
    const escalated = await this.db.tx(async (t) => {
      const tables = new AlertTables(t);
      // Rebuilt on every attempt: PostgreSQL may run this function again after a deadlock.
      const won: string[] = [];
      for (const row of candidates) {
        const phase = timedPhase(row.state as Alert['state']);
        if (!phase) continue;
        const level = row.level + 1;
        const { kind, severity } = toAlert(row);
        // The next level comes one full period later, so a hub that was down does not jump levels at once.
        const nextDue = level < this.config.maxLevel ? now + slaFor(this.config, kind, severity)[phase] : null;
        if (!(await tables.escalate(row, nextDue, now))) continue;
        await tables.addHistory({
          alertId: row.id,
          at: now,
          actor: SYSTEM_ACTOR,
          action: 'escalate',
          from: row.state as Alert['state'],
          to: row.state as Alert['state'],
          level,
          note: `${phase.replace(/Ms$/, '')} deadline passed ${now - row.due_at!} ms ago; level ${level}`,
        });
        won.push(row.id);
      }
      return won;
    });
    return this.alertsById(escalated);
  }

  /** The alert, or null when it does not exist or lies outside `scope`. */
  async get(id: string, scope: readonly string[]): Promise<Alert | null> {
    const row = await this.scoped(id, scope);
    return row ? toAlert(row) : null;
  }

  /** Alerts inside `scope` matching `filter`, newest first. */
  async list(scope: readonly string[], filter: AlertFilter = {}): Promise<Alert[]> {
    const f = checkFilter.assert(filter);
    const s = scopeSql('grid_id', scope);
    const { where, params } = filterSql(f);
    return (await this.tables.select([s.sql, ...where], [...s.params, ...params], f.limit ?? 500)).map(toAlert);
  }

  /** Every recorded change of the alert, oldest first; null when out of scope or missing. */
  async history(id: string, scope: readonly string[]): Promise<HistoryEntry[] | null> {
    return (await this.scoped(id, scope)) ? (await this.tables.historyOf(id)).map(toHistory) : null;
  }

  /** Ids of the events that raised, folded into or cleared the alert. */
  async eventIds(id: string, scope: readonly string[]): Promise<string[] | null> {
    return (await this.scoped(id, scope)) ? this.tables.eventIds(id) : null;
  }

  private async alertsById(ids: readonly string[]): Promise<Alert[]> {
    const out: Alert[] = [];
    for (const id of ids) out.push(toAlert((await this.tables.byId(id))!));
    return out;
  }

  private async scoped(id: string, scope: readonly string[], tables = this.tables): Promise<AlertRow | null> {
    checkScope(scope);
    if (typeof id !== 'string') return null;
    const row = await tables.byId(id);
    return row && inScopes(row.grid_id, scope) ? row : null;
  }

  private async transition(
    id: string,
    scope: readonly string[],
    action: TransitionAction,
    by: Actor,
    set: { assigneeType?: string; assigneeId?: string; resolution?: string; windowId?: null },
  ): Promise<Alert> {
    if (typeof by?.actor !== 'string' || !ACTOR.test(by.actor) || by.actor === SYSTEM_ACTOR)
      throw new ValidationError(action, [{ field: 'actor', message: 'must be a user id' }]);
    if (by.note !== undefined && (typeof by.note !== 'string' || by.note.length > 2000))
      throw new ValidationError(action, [{ field: 'note', message: 'must be text of at most 2000 characters' }]);
    const now = this.now();
    return this.db.tx(async (t) => {
      const tables = new AlertTables(t);
      // Two people acting on one alert at once take turns: the second sees the first's result.
      await t.lock(`alert:${id}`);
      for (let attempt = 1; ; attempt++) {
        const row = await this.scoped(id, scope, tables);
        if (!row) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id} in your area`, { alertId: id });
        const from = row.state as Alert['state'];
        const to = nextState(id, from, action);
        const phase = timedPhase(to);
        const alert = toAlert(row);
        const dueAt =
          phase && row.level < this.config.maxLevel
            ? now + slaFor(this.config, alert.kind, alert.severity)[phase]
            : null;
        const ok = await tables.change(row, {
          state: to,
          stateSince: now,
          dueAt,
          assigneeType: set.assigneeType ?? row.assignee_type,
          assigneeId: set.assigneeId ?? row.assignee_id,
          resolution: set.resolution ?? row.resolution,
          windowId: set.windowId === null ? null : row.window_id,
          now,
        });
        if (!ok) {
          // A fold or an escalation (another hub's) changed it since our read: read it again.
          if (attempt < TRANSITION_ATTEMPTS) continue;
          throw new AlertError('ALERT_CONFLICT', `alert ${id} changed meanwhile; read it again`, { alertId: id });
        }
        await tables.addHistory({
          alertId: id,
          at: now,
          actor: by.actor,
          action,
          from,
          to,
          level: row.level,
          note: by.note ?? null,
        });
        return toAlert((await tables.byId(id))!);
      }
    });
  }
}
