import type { Command } from '@linli/contract';
import type Database from 'better-sqlite3';

export type CommandState = 'queued' | 'sent' | 'done' | 'failed' | 'expired';

export interface CommandRecord {
  command: Command;
  gatewayId: string;
  state: CommandState;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  updatedAt: number;
}

interface Row {
  id: string;
  gateway_id: string;
  body: string;
  state: CommandState;
  result: string | null;
  error: string | null;
  updated_at: number;
}

/** The downlink queue: a command waits here while its gateway is offline, until it is answered or expires. */
export class CommandStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS commands (
        id TEXT PRIMARY KEY,
        gateway_id TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        result TEXT,
        error TEXT,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS commands_pending ON commands (gateway_id, state);
    `);
  }

  add(gatewayId: string, cmd: Command, now: number): void {
    this.db
      .prepare(
        "INSERT INTO commands (id, gateway_id, name, body, state, expires_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)",
      )
      .run(cmd.id, gatewayId, cmd.name, JSON.stringify(cmd), cmd.expiresAt, now);
  }

  /** Queued (or sent but unanswered, e.g. the gateway dropped) commands still in time, oldest first. */
  pending(gatewayId: string, now: number): Command[] {
    return this.db
      .prepare<[string, number], { body: string }>(
        "SELECT body FROM commands WHERE gateway_id = ? AND state IN ('queued', 'sent') AND expires_at > ? ORDER BY id",
      )
      .all(gatewayId, now)
      .map((r) => JSON.parse(r.body) as Command);
  }

  /** Moves a command on; false when it was already final (a late or second answer changes nothing). */
  transition(
    id: string,
    to: CommandState,
    now: number,
    outcome: { result?: Record<string, unknown>; error?: { code: string; message: string } } = {},
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE commands SET state = ?, result = ?, error = ?, updated_at = ?
           WHERE id = ? AND state IN ('queued', 'sent')`,
        )
        .run(
          to,
          outcome.result ? JSON.stringify(outcome.result) : null,
          outcome.error ? JSON.stringify(outcome.error) : null,
          now,
          id,
        ).changes > 0
    );
  }

  /** Marks overdue commands expired and returns them. */
  expire(now: number): CommandRecord[] {
    const rows = this.db
      .prepare<[number], Row>("SELECT * FROM commands WHERE state IN ('queued', 'sent') AND expires_at <= ?")
      .all(now);
    for (const r of rows) this.transition(r.id, 'expired', now);
    return rows.map((r) => ({ ...toRecord(r), state: 'expired' as const }));
  }

  get(id: string): CommandRecord | null {
    const r = this.db.prepare<[string], Row>('SELECT * FROM commands WHERE id = ?').get(id);
    return r ? toRecord(r) : null;
  }

  recent(gatewayIds: string[] | null, limit: number): CommandRecord[] {
    if (gatewayIds && !gatewayIds.length) return [];
    const where = gatewayIds ? `WHERE gateway_id IN (${gatewayIds.map(() => '?').join(',')})` : '';
    return this.db
      .prepare<unknown[], Row>(`SELECT * FROM commands ${where} ORDER BY id DESC LIMIT ?`)
      .all(...(gatewayIds ?? []), limit)
      .map(toRecord);
  }
}

function toRecord(r: Row): CommandRecord {
  return {
    command: JSON.parse(r.body) as Command,
    gatewayId: r.gateway_id,
    state: r.state,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
    error: r.error ? (JSON.parse(r.error) as { code: string; message: string }) : null,
    updatedAt: r.updated_at,
  };
}
