import { compile, EVENT_KINDS, type EventKind, ID_PATTERN } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';
import type { SqlDb, SqlExec, SqlValue } from '../store/sql/sql-db.js';
import { AlertError } from './errors.js';
import { toWindow, type WindowRow } from './rows.js';
import { checkScope, inScopes, scopeSql } from './scope.js';
import type { MaintenanceWindow } from './types.js';
import { checkNewWindow, isWideWindow } from './window-rules.js';

export const WindowInputSchema = Type.Object(
  {
    areaPrefix: Type.String({ pattern: '^[0-9]{4,15}$' }),
    deviceId: Type.Optional(Type.Union([Type.String({ pattern: ID_PATTERN }), Type.Null()])),
    kind: Type.Optional(Type.Union([...EVENT_KINDS.map((k) => Type.Literal(k)), Type.Null()])),
    startsAt: Type.Integer({ minimum: 0 }),
    endsAt: Type.Integer({ minimum: 0 }),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type WindowInput = Static<typeof WindowInputSchema>;
const checkInput = compile(WindowInputSchema, 'maintenance window');

/**
 * Declared maintenance windows: alarms whose source lies inside an approved
 * one (area prefix, and device and kind when given) while it is open are
 * suppressed, unless they are life-safety alarms (see life-safety.ts).
 * Windows are never edited or deleted, so the record of what silenced an
 * alarm stays: they are declared (bounded), approved when wide, and ended.
 * A caller acts only on windows inside its own area; it sees those too, and
 * the wider windows that cover its area (they silence its alarms).
 */
export class MaintenanceWindows {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number,
    private readonly newId: (time: number) => string,
    /** The longest window anyone may declare (alert config `maintenance.maxWindowMs`). */
    readonly maxWindowMs: number,
  ) {}

  /** A narrow window is approved at once; a wide one is `pending` until a city-level role approves it. */
  async create(input: WindowInput, actor: string, scope: readonly string[]): Promise<MaintenanceWindow> {
    const w = checkInput.assert(input);
    const now = this.now();
    checkNewWindow(w, scope, now, this.maxWindowMs);
    const id = this.newId(now);
    await this.db.run(
      `INSERT INTO alert_windows (id, area_prefix, device_id, kind, starts_at, ends_at, reason, created_by, created_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        w.areaPrefix,
        w.deviceId ?? null,
        w.kind ?? null,
        w.startsAt,
        w.endsAt,
        w.reason,
        actor,
        now,
        isWideWindow(w) ? 'pending' : 'approved',
      ],
    );
    return (await this.get(id, scope))!;
  }

  /**
   * The second person of the two-person rule: someone other than the creator,
   * whose area covers the window, lets a pending window silence alarms.
   * Who may approve at all is the caller's permission check (`approve_maintenance`).
   */
  async approve(id: string, approver: string, scope: readonly string[]): Promise<MaintenanceWindow> {
    return this.db.tx(async (t) => {
      await t.lock(`alert-window:${id}`);
      const cur = await this.owned(id, scope, t);
      if (cur.status !== 'pending')
        throw new AlertError('MAINTENANCE_NOT_PENDING', `维护窗口 ${id} 不是待审批状态 (it is ${cur.status})`, {
          windowId: id,
        });
      if (cur.createdBy === approver)
        throw new AlertError(
          'MAINTENANCE_SELF_APPROVAL',
          `维护窗口须由申请人以外的市级人员审批 (two-person rule: you declared window ${id})`,
          { windowId: id },
        );
      const now = this.now();
      if (cur.endsAt <= now) throw over(id);
      await t.run(
        `UPDATE alert_windows SET status = 'approved', approved_by = ?, approved_at = ? WHERE id = ? AND status = 'pending'`,
        [approver, now, id],
      );
      return (await this.get(id, scope, t))!;
    });
  }

  /**
   * Ends a window now (or withdraws/refuses a pending one). Alarms from then on
   * raise as usual; alerts it already suppressed stay suppressed, their history says why.
   */
  async end(id: string, actor: string, scope: readonly string[]): Promise<MaintenanceWindow> {
    return this.db.tx(async (t) => {
      await t.lock(`alert-window:${id}`);
      const cur = await this.owned(id, scope, t);
      const now = this.now();
      if (cur.status === 'ended' || cur.endsAt <= now) throw over(id);
      await t.run(`UPDATE alert_windows SET status = 'ended', ended_by = ?, ended_at = ? WHERE id = ?`, [
        actor,
        now,
        id,
      ]);
      return (await this.get(id, scope, t))!;
    });
  }

  async get(id: string, scope: readonly string[], db: SqlExec = this.db): Promise<MaintenanceWindow | null> {
    const { sql, params } = this.visibleSql(scope);
    const row = await db.get<WindowRow>(`SELECT * FROM alert_windows WHERE id = ? AND ${sql}`, [id, ...params]);
    return row ? toWindow(row) : null;
  }

  /**
   * Windows visible in `scope`: with `activeAt`, only those silencing at that
   * time (approved and open); with `current`, those not over yet (pending,
   * scheduled or open); otherwise all, ended and expired ones included.
   */
  async list(
    scope: readonly string[],
    opts: { activeAt?: number; current?: boolean } = {},
  ): Promise<MaintenanceWindow[]> {
    const { sql, params } = this.visibleSql(scope);
    const where = [sql];
    const args: SqlValue[] = [...params];
    if (opts.activeAt !== undefined) {
      where.push(`status = 'approved' AND starts_at <= ? AND ends_at > ?`);
      args.push(opts.activeAt, opts.activeAt);
    }
    if (opts.current) {
      where.push(`status <> 'ended' AND ends_at > ?`);
      args.push(this.now());
    }
    const rows = await this.db.all<WindowRow>(
      `SELECT * FROM alert_windows WHERE ${where.join(' AND ')} ORDER BY starts_at, id LIMIT 1000`,
      args,
    );
    return rows.map(toWindow);
  }

  /**
   * The approved window that covers an alarm from this source at `at` (the
   * event's receivedAt), if any; `db` is the caller's transaction when it has one.
   */
  async match(
    gridId: string,
    deviceId: string,
    kind: EventKind,
    at: number,
    db: SqlExec = this.db,
  ): Promise<MaintenanceWindow | null> {
    const row = await db.get<WindowRow>(
      `SELECT * FROM alert_windows
       WHERE status = 'approved' AND starts_at <= ? AND ends_at > ? AND CAST(? AS TEXT) LIKE area_prefix || '%'
         AND (device_id IS NULL OR device_id = ?) AND (kind IS NULL OR kind = ?)
       ORDER BY starts_at, id LIMIT 1`,
      [at, at, gridId, deviceId, kind],
    );
    return row ? toWindow(row) : null;
  }

  private async owned(id: string, scope: readonly string[], db: SqlExec = this.db): Promise<MaintenanceWindow> {
    const cur = await this.get(id, scope, db);
    if (!cur || !inScopes(cur.areaPrefix, scope))
      throw new AlertError('ALERT_NOT_FOUND', `no maintenance window ${id} in your area`, { windowId: id });
    return cur;
  }

  /** Inside the scope, or covering it. */
  private visibleSql(scope: readonly string[]): { sql: string; params: SqlValue[] } {
    checkScope(scope);
    if (scope.length === 0) return { sql: '1 = 0', params: [] };
    const inside = scopeSql('area_prefix', scope);
    const covering = scope.map(() => `CAST(? AS TEXT) LIKE area_prefix || '%'`).join(' OR ');
    return { sql: `(${inside.sql} OR ${covering})`, params: [...inside.params, ...scope] };
  }
}

const over = (id: string) =>
  new AlertError('MAINTENANCE_OVER', `维护窗口 ${id} 已结束 (the window is already over)`, { windowId: id });
