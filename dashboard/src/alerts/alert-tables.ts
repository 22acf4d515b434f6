import type { SqlExec, SqlValue } from '../store/sql/sql-db.js';
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
 * Every SQL statement the alert service runs, in one place: portable SQL with
 * `?` placeholders that SQLite and PostgreSQL both run. Built over the
 * database for reads, or over a transaction's `t` for a write.
 */
export class AlertTables {
  constructor(private readonly db: SqlExec) {}

  byId(id: string): Promise<AlertRow | undefined> {
    return this.db.get<AlertRow>('SELECT * FROM alert_alerts WHERE id = ?', [id]);
  }

  openForSource(gatewayId: string, deviceId: string, kind: string): Promise<AlertRow[]> {
    return this.db.all<AlertRow>(
      `SELECT * FROM alert_alerts WHERE gateway_id = ? AND device_id = ? AND kind = ? AND state <> 'resolved'
       ORDER BY last_event_at DESC, id DESC`,
      [gatewayId, deviceId, kind],
    );
  }

  async insert(a: {
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
    /** The window a life-safety alarm fell in (it is marked, not suppressed). */
    duringWindowId: string | null;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO alert_alerts (id, state, level, version, kind, severity, gateway_id, device_id, grid_id, lng, lat,
         count, first_event_id, first_event_at, last_event_at, raised_at, state_since, updated_at, due_at,
         during_window_id)
       VALUES (?, 'raised', 0, 1, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        a.kind,
        a.severity,
        a.gatewayId,
        a.deviceId,
        a.gridId,
        a.lng,
        a.lat,
        a.eventId,
        a.at,
        a.at,
        a.now,
        a.now,
        a.now,
        a.dueAt,
        a.duringWindowId,
      ],
    );
  }

  async fold(row: AlertRow, at: number, severity: string, now: number): Promise<boolean> {
    // min/max of two values: CASE, since SQLite's scalar min()/max() are least()/greatest() on PostgreSQL.
    const r = await this.db.run(
      `UPDATE alert_alerts SET count = count + 1, version = version + 1,
         first_event_at = CASE WHEN first_event_at <= ? THEN first_event_at ELSE ? END,
         last_event_at = CASE WHEN last_event_at >= ? THEN last_event_at ELSE ? END,
         severity = ?, cleared_at = NULL, updated_at = ?
       WHERE id = ? AND version = ?`,
      [at, at, at, at, severity, now, row.id, row.version],
    );
    return r.changes === 1;
  }

  async clear(row: AlertRow, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE alert_alerts SET cleared_at = ?, version = version + 1, updated_at = ?
       WHERE id = ? AND version = ? AND cleared_at IS NULL`,
      [now, now, row.id, row.version],
    );
    return r.changes === 1;
  }

  async change(row: AlertRow, c: StateChange): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE alert_alerts SET state = ?, state_since = ?, due_at = ?,
         assignee_type = ?, assignee_id = ?, resolution = ?,
         window_id = ?, version = version + 1, updated_at = ?
       WHERE id = ? AND version = ? AND state = ?`,
      [
        c.state,
        c.stateSince,
        c.dueAt,
        c.assigneeType,
        c.assigneeId,
        c.resolution,
        c.windowId,
        c.now,
        row.id,
        row.version,
        row.state,
      ],
    );
    return r.changes === 1;
  }

  /** Marks a change that moves no state (a field step) so cockpits see a new version. */
  async touch(row: AlertRow, now: number): Promise<boolean> {
    const r = await this.db.run(
      'UPDATE alert_alerts SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?',
      [now, row.id, row.version],
    );
    return r.changes === 1;
  }

  /**
   * One escalation as a compare-and-set: it changes the row only while its
   * version, state, level and deadline are what the caller read, so of two
   * hubs that saw the same overdue alert exactly one gets `true`.
   */
  async escalate(row: AlertRow, nextDue: number | null, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE alert_alerts SET level = level + 1, version = version + 1, due_at = ?, updated_at = ?
       WHERE id = ? AND version = ? AND state = ? AND level = ? AND due_at IS NOT NULL AND due_at <= ?`,
      [nextDue, now, row.id, row.version, row.state, row.level, now],
    );
    return r.changes === 1;
  }

  overdue(now: number, limit: number): Promise<AlertRow[]> {
    return this.db.all<AlertRow>(
      'SELECT * FROM alert_alerts WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
      [now, limit],
    );
  }

  /** Whether the service has taken this event already: linked to an alert, or remembered as quiet. */
  async hasEvent(eventId: string): Promise<boolean> {
    const r = await this.db.get<{ n: number }>(
      `SELECT (SELECT count(*) FROM alert_events WHERE event_id = ?)
            + (SELECT count(*) FROM alert_quiet_events WHERE event_id = ?) AS n`,
      [eventId, eventId],
    );
    return Number(r?.n ?? 0) > 0;
  }

  /** An all-clear that changed no alert: remembered so a resend of it stays a no-op. */
  async markQuiet(eventId: string, receivedAt: number): Promise<void> {
    await this.db.run(
      'INSERT INTO alert_quiet_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING',
      [eventId, receivedAt],
    );
  }

  /** Forgets quiet events older than `olderThan` (their events are pruned at the same age), a chunk at a time. */
  async pruneQuiet(olderThan: number, limit: number): Promise<number> {
    const r = await this.db.run(
      `DELETE FROM alert_quiet_events WHERE event_id IN
         (SELECT event_id FROM alert_quiet_events WHERE received_at < ? ORDER BY received_at LIMIT ?)`,
      [olderThan, limit],
    );
    return r.changes;
  }

  async linkEvent(eventId: string, alertId: string, role: 'raise' | 'fold' | 'clear', now: number): Promise<void> {
    await this.db.run('INSERT INTO alert_events (event_id, alert_id, role, at) VALUES (?, ?, ?, ?)', [
      eventId,
      alertId,
      role,
      now,
    ]);
  }

  async eventIds(alertId: string): Promise<string[]> {
    const rows = await this.db.all<{ event_id: string }>(
      'SELECT event_id FROM alert_events WHERE alert_id = ? ORDER BY event_id',
      [alertId],
    );
    return rows.map((r) => r.event_id);
  }

  /**
   * Appends to the alert's history. Callers write it right after changing (or
   * inserting) the alert's row in the same transaction, so the row lock keeps
   * two writers from taking the same sequence number.
   */
  async addHistory(h: NewHistory): Promise<void> {
    const next = await this.db.get<{ seq: number }>(
      'SELECT coalesce(max(seq), 0) + 1 AS seq FROM alert_history WHERE alert_id = ?',
      [h.alertId],
    );
    await this.db.run(
      `INSERT INTO alert_history (alert_id, seq, at, actor, action, from_state, to_state, level, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [h.alertId, Number(next!.seq), h.at, h.actor, h.action, h.from, h.to, h.level, h.note],
    );
  }

  historyOf(alertId: string): Promise<HistoryRow[]> {
    return this.db.all<HistoryRow>(
      'SELECT seq, at, actor, action, from_state, to_state, level, note FROM alert_history WHERE alert_id = ? ORDER BY seq',
      [alertId],
    );
  }

  /** A filtered page of alerts; `where` and `params` come from the caller's validated filter. */
  select(where: string[], params: SqlValue[], limit: number): Promise<AlertRow[]> {
    return this.db.all<AlertRow>(
      `SELECT * FROM alert_alerts WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, id DESC LIMIT ?`,
      [...params, limit],
    );
  }
}
