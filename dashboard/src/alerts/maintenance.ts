import { compile, EVENT_KINDS, type EventKind, ID_PATTERN, ValidationError } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';
import type { SqlDb, SqlExec, SqlValue } from '../store/sql/sql-db.js';
import { AlertError } from './errors.js';
import { toWindow, type WindowRow } from './rows.js';
import { checkScope, inScopes, scopeSql } from './scope.js';
import type { MaintenanceWindow } from './types.js';

const Fields = {
  areaPrefix: Type.String({ pattern: '^[0-9]{4,15}$' }),
  deviceId: Type.Union([Type.String({ pattern: ID_PATTERN }), Type.Null()]),
  kind: Type.Union([...EVENT_KINDS.map((k) => Type.Literal(k)), Type.Null()]),
  startsAt: Type.Integer({ minimum: 0 }),
  endsAt: Type.Integer({ minimum: 0 }),
  reason: Type.String({ minLength: 1, maxLength: 200 }),
};
export const WindowInputSchema = Type.Object(
  {
    areaPrefix: Fields.areaPrefix,
    deviceId: Type.Optional(Fields.deviceId),
    kind: Type.Optional(Fields.kind),
    startsAt: Fields.startsAt,
    endsAt: Fields.endsAt,
    reason: Fields.reason,
  },
  { additionalProperties: false },
);
export const WindowPatchSchema = Type.Partial(WindowInputSchema);
export type WindowInput = Static<typeof WindowInputSchema>;
export type WindowPatch = Static<typeof WindowPatchSchema>;
const checkInput = compile(WindowInputSchema, 'maintenance window');
const checkPatch = compile(WindowPatchSchema, 'maintenance window change');

/**
 * Declared maintenance windows: alarms whose source lies inside one (area
 * prefix, and device and kind when given) while it is open are suppressed.
 * A caller changes only windows inside its own area; it sees those too, and
 * the wider windows that cover its area (they silence its alarms).
 */
export class MaintenanceWindows {
  constructor(
    private readonly db: SqlDb,
    private readonly now: () => number,
    private readonly newId: (time: number) => string,
  ) {}

  async create(input: WindowInput, actor: string, scope: readonly string[]): Promise<MaintenanceWindow> {
    const w = checkInput.assert(input);
    this.checkWindow(w, scope);
    const id = this.newId(this.now());
    await this.db.run(
      `INSERT INTO alert_windows (id, area_prefix, device_id, kind, starts_at, ends_at, reason, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, w.areaPrefix, w.deviceId ?? null, w.kind ?? null, w.startsAt, w.endsAt, w.reason, actor, this.now()],
    );
    return (await this.get(id, scope))!;
  }

  async update(id: string, patch: WindowPatch, scope: readonly string[]): Promise<MaintenanceWindow> {
    const p = checkPatch.assert(patch);
    return this.db.tx(async (t) => {
      await t.lock(`alert-window:${id}`);
      const cur = await this.owned(id, scope, t);
      const next = { ...cur, ...p };
      this.checkWindow(next, scope);
      await t.run(
        `UPDATE alert_windows SET area_prefix = ?, device_id = ?, kind = ?, starts_at = ?, ends_at = ?, reason = ?
         WHERE id = ?`,
        [next.areaPrefix, next.deviceId ?? null, next.kind ?? null, next.startsAt, next.endsAt, next.reason, id],
      );
      return (await this.get(id, scope, t))!;
    });
  }

  /** Deletes a window; alerts it already suppressed stay suppressed (their history says why). */
  async remove(id: string, scope: readonly string[]): Promise<MaintenanceWindow> {
    const cur = await this.owned(id, scope);
    await this.db.run('DELETE FROM alert_windows WHERE id = ?', [id]);
    return cur;
  }

  async get(id: string, scope: readonly string[], db: SqlExec = this.db): Promise<MaintenanceWindow | null> {
    const { sql, params } = this.visibleSql(scope);
    const row = await db.get<WindowRow>(`SELECT * FROM alert_windows WHERE id = ? AND ${sql}`, [id, ...params]);
    return row ? toWindow(row) : null;
  }

  /** Windows visible in `scope`; with `activeAt`, only those open at that time. */
  async list(scope: readonly string[], activeAt?: number): Promise<MaintenanceWindow[]> {
    const { sql, params } = this.visibleSql(scope);
    const time = activeAt === undefined ? '' : ' AND starts_at <= ? AND ends_at > ?';
    const args = activeAt === undefined ? params : [...params, activeAt, activeAt];
    const rows = await this.db.all<WindowRow>(
      `SELECT * FROM alert_windows WHERE ${sql}${time} ORDER BY starts_at, id`,
      args,
    );
    return rows.map(toWindow);
  }

  /**
   * The window that covers an alarm from this source at `at` (the event's
   * receivedAt), if any; `db` is the caller's transaction when it has one.
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
       WHERE starts_at <= ? AND ends_at > ? AND CAST(? AS TEXT) LIKE area_prefix || '%'
         AND (device_id IS NULL OR device_id = ?) AND (kind IS NULL OR kind = ?)
       ORDER BY starts_at, id LIMIT 1`,
      [at, at, gridId, deviceId, kind],
    );
    return row ? toWindow(row) : null;
  }

  private async owned(id: string, scope: readonly string[], db: SqlExec = this.db): Promise<MaintenanceWindow> {
    const cur = await this.get(id, scope, db);
    if (!cur || !inScopes(cur.areaPrefix, scope))
      throw new AlertError('ALERT_NOT_FOUND', `no maintenance window ${id} in your area`);
    return cur;
  }

  private checkWindow(w: { areaPrefix: string; startsAt: number; endsAt: number }, scope: readonly string[]): void {
    const issues = [];
    if (w.endsAt <= w.startsAt) issues.push({ field: 'endsAt', message: 'must be after startsAt' });
    if (!inScopes(w.areaPrefix, scope)) issues.push({ field: 'areaPrefix', message: 'must lie inside your area' });
    if (issues.length) throw new ValidationError('maintenance window', issues);
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
