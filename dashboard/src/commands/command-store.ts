import type { Command } from '@linli/contract';
import type { SqlDb } from '../store/sql/sql-db.js';

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

/**
 * A command `sent` this long ago without an answer is taken as lost (its hub
 * node died, or the gateway dropped mid-answer) and may be claimed again. Longer
 * than a gateway's answer time (30 s), so a live delivery is never doubled.
 */
export const SENT_LEASE_MS = 60_000;

/**
 * The downlink queue: a command waits here while its gateway is offline, until
 * it is answered or expires. Several hub nodes may share it (PostgreSQL): every
 * state change is a conditional UPDATE, so only one node delivers a command,
 * and one expires it.
 */
export class CommandStore {
  constructor(private readonly db: SqlDb) {}

  async add(gatewayId: string, cmd: Command, now: number): Promise<void> {
    await this.db.run(
      "INSERT INTO commands (id, gateway_id, name, body, state, expires_at, updated_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)",
      [cmd.id, gatewayId, cmd.name, JSON.stringify(cmd), cmd.expiresAt, now],
    );
  }

  /** Queued (or sent but unanswered, e.g. the gateway dropped) commands still in time, oldest first. */
  async pending(gatewayId: string, now: number): Promise<Command[]> {
    const rows = await this.db.all<{ body: string }>(
      "SELECT body FROM commands WHERE gateway_id = ? AND state IN ('queued', 'sent') AND expires_at > ? ORDER BY id",
      [gatewayId, now],
    );
    return rows.map((r) => JSON.parse(r.body) as Command);
  }

  /**
   * Takes a command for delivery: queued → sent, or a `sent` one whose lease ran
   * out. True for exactly one caller, so two hub nodes never both send it.
   */
  async claim(id: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE commands SET state = 'sent', updated_at = ?
       WHERE id = ? AND expires_at > ? AND (state = 'queued' OR (state = 'sent' AND updated_at <= ?))`,
      [now, id, now, now - SENT_LEASE_MS],
    );
    return r.changes === 1;
  }

  /** Gives a claimed command back (its gateway was not connected, or did not answer) for the next connect. */
  async release(id: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE commands SET state = 'queued', updated_at = ? WHERE id = ? AND state = 'sent'",
      [now, id],
    );
    return r.changes === 1;
  }

  /** Moves a command on; false when it was already final (a late or second answer changes nothing). */
  async transition(
    id: string,
    to: CommandState,
    now: number,
    outcome: { result?: Record<string, unknown>; error?: { code: string; message: string } } = {},
  ): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE commands SET state = ?, result = ?, error = ?, updated_at = ?
       WHERE id = ? AND state IN ('queued', 'sent')`,
      [
        to,
        outcome.result ? JSON.stringify(outcome.result) : null,
        outcome.error ? JSON.stringify(outcome.error) : null,
        now,
        id,
      ],
    );
    return r.changes > 0;
  }

  /**
   * Marks overdue commands expired and returns those this caller expired: of
   * two nodes expiring at once, each command is returned by exactly one.
   */
  async expire(now: number): Promise<CommandRecord[]> {
    const rows = await this.db.all<Row>(
      "SELECT * FROM commands WHERE state IN ('queued', 'sent') AND expires_at <= ? ORDER BY id",
      [now],
    );
    const out: CommandRecord[] = [];
    for (const r of rows) {
      const won = await this.db.run(
        "UPDATE commands SET state = 'expired', result = NULL, error = NULL, updated_at = ? WHERE id = ? AND state IN ('queued', 'sent')",
        [now, r.id],
      );
      if (won.changes === 1) out.push({ ...toRecord(r), state: 'expired', updatedAt: now });
    }
    return out;
  }

  async get(id: string): Promise<CommandRecord | null> {
    const r = await this.db.get<Row>('SELECT * FROM commands WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }

  async recent(gatewayIds: string[] | null, limit: number): Promise<CommandRecord[]> {
    if (gatewayIds && !gatewayIds.length) return [];
    const where = gatewayIds ? `WHERE gateway_id IN (${gatewayIds.map(() => '?').join(',')})` : '';
    const rows = await this.db.all<Row>(`SELECT * FROM commands ${where} ORDER BY id DESC LIMIT ?`, [
      ...(gatewayIds ?? []),
      limit,
    ]);
    return rows.map(toRecord);
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
