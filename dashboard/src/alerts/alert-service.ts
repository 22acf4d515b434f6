import { createIdFactory, type LinliEvent, ValidationError } from '@linli/contract';
import type Database from 'better-sqlite3';
import { AlertTables } from './alert-tables.js';
import { classify } from './classify.js';
import { type AlertConfig, parseAlertConfig, slaFor } from './config.js';
import { AlertError } from './errors.js';
import { type AlertFilter, checkFilter, filterSql } from './filter.js';
import { ingestEvents } from './ingest.js';
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

  /** `migrateAlerts(db)` must have run on this database. */
  constructor(db: Database.Database, opts: AlertServiceOptions = {}) {
    this.config = parseAlertConfig(opts.config ?? {});
    this.now = opts.now ?? Date.now;
    this.tables = new AlertTables(db);
    this.windows = new MaintenanceWindows(db, this.now, (t) => this.newId(t));
  }

  /** Alarms become alerts (or fold into open ones); "condition over" events mark them cleared. */
  ingest(events: readonly LinliEvent[]): Alert[] {
    // Most traffic is telemetry: no write transaction (and no fsync) unless something concerns alerts.
    if (!events.some((e) => classify(e).role !== 'none')) return [];
    const ids = this.tables.write(() =>
      ingestEvents(
        {
          tables: this.tables,
          windows: this.windows,
          config: this.config,
          now: this.now(),
          newId: (t) => this.newId(t),
        },
        events,
      ),
    );
    return [...ids].map((id) => toAlert(this.tables.byId(id)!));
  }

  dispatch(id: string, scope: readonly string[], by: Actor & { assignee: Assignee }): Alert {
    const a = by.assignee as Partial<Assignee> | undefined;
    if (!a || (a.type !== 'user' && a.type !== 'team') || typeof a.id !== 'string' || !ACTOR.test(a.id))
      throw new ValidationError('dispatch', [{ field: 'assignee', message: 'must be {type: user|team, id}' }]);
    return this.transition(id, scope, 'dispatch', by, { assigneeType: a.type, assigneeId: a.id });
  }

  acknowledge(id: string, scope: readonly string[], by: Actor): Alert {
    return this.transition(id, scope, 'acknowledge', by, {});
  }

  /** Closes the alert for good; the note (what was found and done) is required. */
  resolve(id: string, scope: readonly string[], by: Actor & { note: string }): Alert {
    const note = typeof by.note === 'string' ? by.note.trim() : '';
    if (!note) throw new AlertError('ALERT_NOTE_REQUIRED', `resolving alert ${id} needs a note saying what was done`);
    return this.transition(id, scope, 'resolve', { ...by, note }, { resolution: note });
  }

  /** Brings a suppressed alert back to raised: it turned out to be real, maintenance or not. */
  unsuppress(id: string, scope: readonly string[], by: Actor): Alert {
    return this.transition(id, scope, 'unsuppress', by, { windowId: null });
  }

  /**
   * Escalates every alert whose deadline has passed, once per deadline. Safe
   * against other hubs on the same database: each escalation is a
   * compare-and-set on (version, state, due_at) under a write lock, so of two
   * callers that saw the same overdue alert exactly one wins. Returns the
   * alerts this caller escalated.
   */
  tick(): Alert[] {
    const now = this.now();
    const escalated: string[] = [];
    // Candidates are read before taking the lock, to keep the lock short; the CAS rejects stale ones.
    const candidates = this.tables.overdue(now, TICK_BATCH);
    if (candidates.length === 0) return [];
    this.tables.write(() => {
      for (const row of candidates) {
        const phase = timedPhase(row.state as Alert['state']);
        if (!phase) continue;
        const level = row.level + 1;
        const { kind, severity } = toAlert(row);
        // The next level comes one full period later, so a hub that was down does not jump levels at once.
        const nextDue = level < this.config.maxLevel ? now + slaFor(this.config, kind, severity)[phase] : null;
        if (!this.tables.escalate(row, nextDue, now)) continue;
        this.tables.addHistory({
          alertId: row.id,
          at: now,
          actor: SYSTEM_ACTOR,
          action: 'escalate',
          from: row.state as Alert['state'],
          to: row.state as Alert['state'],
          level,
          note: `${phase.replace(/Ms$/, '')} deadline passed ${now - row.due_at!} ms ago; level ${level}`,
        });
        escalated.push(row.id);
      }
    });
    return escalated.map((id) => toAlert(this.tables.byId(id)!));
  }

  /** The alert, or null when it does not exist or lies outside `scope`. */
  get(id: string, scope: readonly string[]): Alert | null {
    const row = this.scoped(id, scope);
    return row ? toAlert(row) : null;
  }

  /** Alerts inside `scope` matching `filter`, newest first. */
  list(scope: readonly string[], filter: AlertFilter = {}): Alert[] {
    const f = checkFilter.assert(filter);
    const s = scopeSql('grid_id', scope);
    const { where, params } = filterSql(f);
    return this.tables.select([s.sql, ...where], [...s.params, ...params], f.limit ?? 500).map(toAlert);
  }

  /** Every recorded change of the alert, oldest first; null when out of scope or missing. */
  history(id: string, scope: readonly string[]): HistoryEntry[] | null {
    return this.scoped(id, scope) ? this.tables.historyOf(id).map(toHistory) : null;
  }

  /** Ids of the events that raised, folded into or cleared the alert. */
  eventIds(id: string, scope: readonly string[]): string[] | null {
    return this.scoped(id, scope) ? this.tables.eventIds(id) : null;
  }

  private scoped(id: string, scope: readonly string[]): AlertRow | null {
    checkScope(scope);
    if (typeof id !== 'string') return null;
    const row = this.tables.byId(id);
    return row && inScopes(row.grid_id, scope) ? row : null;
  }

  private transition(
    id: string,
    scope: readonly string[],
    action: TransitionAction,
    by: Actor,
    set: { assigneeType?: string; assigneeId?: string; resolution?: string; windowId?: null },
  ): Alert {
    if (typeof by?.actor !== 'string' || !ACTOR.test(by.actor) || by.actor === SYSTEM_ACTOR)
      throw new ValidationError(action, [{ field: 'actor', message: 'must be a user id' }]);
    if (by.note !== undefined && (typeof by.note !== 'string' || by.note.length > 2000))
      throw new ValidationError(action, [{ field: 'note', message: 'must be text of at most 2000 characters' }]);
    const now = this.now();
    return this.tables.write(() => {
      const row = this.scoped(id, scope);
      if (!row) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id} in your area`, { alertId: id });
      const from = row.state as Alert['state'];
      const to = nextState(id, from, action);
      const phase = timedPhase(to);
      const alert = toAlert(row);
      const dueAt =
        phase && row.level < this.config.maxLevel ? now + slaFor(this.config, alert.kind, alert.severity)[phase] : null;
      const ok = this.tables.change(row, {
        state: to,
        stateSince: now,
        dueAt,
        assigneeType: set.assigneeType ?? row.assignee_type,
        assigneeId: set.assigneeId ?? row.assignee_id,
        resolution: set.resolution ?? row.resolution,
        windowId: set.windowId === null ? null : row.window_id,
        now,
      });
      if (!ok) throw new AlertError('ALERT_CONFLICT', `alert ${id} changed meanwhile; read it again`, { alertId: id });
      this.tables.addHistory({
        alertId: id,
        at: now,
        actor: by.actor,
        action,
        from,
        to,
        level: row.level,
        note: by.note ?? null,
      });
      return toAlert(this.tables.byId(id)!);
    });
  }
}
