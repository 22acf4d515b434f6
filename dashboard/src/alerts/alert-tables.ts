import type Database from 'better-sqlite3';
import type { AlertRow, HistoryRow } from './rows.js';
import type { AlertAction, AlertState } from './types.js';

export interface NewHistory {
  alertId: string;
  at: number;
  actor: string;
  action: AlertAction;
  from: AlertState | null;
  to: AlertState;
  level: number;
  note: string | null;
}

/** Columns a state change writes; the WHERE names the version read, so a stale writer changes nothing. */
export interface StateChange {
  state: AlertState;
  stateSince: number;
  dueAt: number | null;
  assigneeType: string | null;
  assigneeId: string | null;
  resolution: string | null;
  windowId: string | null;
  now: number;
}

/**
 * Every SQL statement the alert service runs, in one place: plain SQL with
 * positional parameters, so a PostgreSQL implementation rewrites this file
 * (placeholders, RETURNING) and nothing else.
 */
export class AlertTables {
  private readonly q;
  constructor(private readonly db: Database.Database) {
    this.q = {
      byId: db.prepare<[string], AlertRow>('SELECT * FROM alert_alerts WHERE id = ?'),
      openForSource: db.prepare<[string, string, string], AlertRow>(
        `SELECT * FROM alert_alerts WHERE gateway_id = ? AND device_id = ? AND kind = ? AND state <> 'resolved'
         ORDER BY last_event_at DESC, id DESC`,
      ),
      insert: db.prepare(
        `INSERT INTO alert_alerts (id, state, level, version, kind, severity, gateway_id, device_id, grid_id, lng, lat,
           count, first_event_id, first_event_at, last_event_at, raised_at, state_since, updated_at, due_at)
         VALUES (@id, 'raised', 0, 1, @kind, @severity, @gatewayId, @deviceId, @gridId, @lng, @lat,
           1, @eventId, @at, @at, @now, @now, @now, @dueAt)`,
      ),
      fold: db.prepare<[number, number, string, number, string, number]>(
        `UPDATE alert_alerts SET count = count + 1, version = version + 1,
           first_event_at = min(first_event_at, ?), last_event_at = max(last_event_at, ?),
           severity = ?, cleared_at = NULL, updated_at = ?
         WHERE id = ? AND version = ?`,
      ),
      clear: db.prepare<[number, number, string, number]>(
        `UPDATE alert_alerts SET cleared_at = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ? AND cleared_at IS NULL`,
      ),
      change: db.prepare(
        `UPDATE alert_alerts SET state = @state, state_since = @stateSince, due_at = @dueAt,
           assignee_type = @assigneeType, assignee_id = @assigneeId, resolution = @resolution,
           window_id = @windowId, version = version + 1, updated_at = @now
         WHERE id = @id AND version = @version AND state = @from`,
      ),
      escalate: db.prepare<[number | null, number, string, number, string, number]>(
        `UPDATE alert_alerts SET level = level + 1, version = version + 1, due_at = ?, updated_at = ?
         WHERE id = ? AND version = ? AND state = ? AND due_at IS NOT NULL AND due_at <= ?`,
      ),
      overdue: db.prepare<[number, number], AlertRow>(
        'SELECT * FROM alert_alerts WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
      ),
      hasEvent: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM alert_events WHERE event_id = ?'),
      linkEvent: db.prepare<[string, string, string, number]>(
        'INSERT INTO alert_events (event_id, alert_id, role, at) VALUES (?, ?, ?, ?)',
      ),
      eventIds: db.prepare<[string], { event_id: string }>(
        'SELECT event_id FROM alert_events WHERE alert_id = ? ORDER BY event_id',
      ),
      nextSeq: db.prepare<[string], { seq: number }>(
        'SELECT coalesce(max(seq), 0) + 1 AS seq FROM alert_history WHERE alert_id = ?',
      ),
      history: db.prepare(
        `INSERT INTO alert_history (alert_id, seq, at, actor, action, from_state, to_state, level, note)
         VALUES (@alertId, @seq, @at, @actor, @action, @from, @to, @level, @note)`,
      ),
      historyOf: db.prepare<[string], HistoryRow>(
        'SELECT seq, at, actor, action, from_state, to_state, level, note FROM alert_history WHERE alert_id = ? ORDER BY seq',
      ),
    };
  }

  /** Runs `fn` holding the write lock from the start (BEGIN IMMEDIATE), so reads inside it are never stale. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  byId(id: string): AlertRow | undefined {
    return this.q.byId.get(id);
  }

  openForSource(gatewayId: string, deviceId: string, kind: string): AlertRow[] {
    return this.q.openForSource.all(gatewayId, deviceId, kind);
  }

  insert(a: {
    id: string;
    kind: string;
    severity: string;
    gatewayId: string;
    deviceId: string;
    gridId: string;
    lng: number;
    lat: number;
    eventId: string;
    at: number;
    now: number;
    dueAt: number | null;
  }): void {
    this.q.insert.run(a);
  }

  fold(row: AlertRow, at: number, severity: string, now: number): boolean {
    return this.q.fold.run(at, at, severity, now, row.id, row.version).changes === 1;
  }

  clear(row: AlertRow, now: number): boolean {
    return this.q.clear.run(now, now, row.id, row.version).changes === 1;
  }

  change(row: AlertRow, c: StateChange): boolean {
    return this.q.change.run({ ...c, id: row.id, version: row.version, from: row.state }).changes === 1;
  }

  escalate(row: AlertRow, nextDue: number | null, now: number): boolean {
    return this.q.escalate.run(nextDue, now, row.id, row.version, row.state, now).changes === 1;
  }

  overdue(now: number, limit: number): AlertRow[] {
    return this.q.overdue.all(now, limit);
  }

  hasEvent(eventId: string): boolean {
    return this.q.hasEvent.get(eventId)!.n > 0;
  }

  linkEvent(eventId: string, alertId: string, role: 'raise' | 'fold' | 'clear', now: number): void {
    this.q.linkEvent.run(eventId, alertId, role, now);
  }

  eventIds(alertId: string): string[] {
    return this.q.eventIds.all(alertId).map((r) => r.event_id);
  }

  addHistory(h: NewHistory): void {
    const { seq } = this.q.nextSeq.get(h.alertId)!;
    this.q.history.run({ ...h, seq });
  }

  historyOf(alertId: string): HistoryRow[] {
    return this.q.historyOf.all(alertId);
  }

  /** A filtered page of alerts; `where` and `params` come from the caller's validated filter. */
  select(where: string[], params: unknown[], limit: number): AlertRow[] {
    return this.db
      .prepare<unknown[], AlertRow>(
        `SELECT * FROM alert_alerts WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit);
  }
}
