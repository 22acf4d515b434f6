import { compile, EVENT_KINDS, type EventKind, ID_PATTERN, ValidationError } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';
import type Database from 'better-sqlite3';
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
    private readonly db: Database.Database,
    private readonly now: () => number,
    private readonly newId: (time: number) => string,
  ) {}

  create(input: WindowInput, actor: string, scope: readonly string[]): MaintenanceWindow {
    const w = checkInput.assert(input);
    this.checkWindow(w, scope);
    const id = this.newId(this.now());
    this.db
      .prepare(
        `INSERT INTO alert_windows (id, area_prefix, device_id, kind, starts_at, ends_at, reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, w.areaPrefix, w.deviceId ?? null, w.kind ?? null, w.startsAt, w.endsAt, w.reason, actor, this.now());
    return this.get(id, scope)!;
  }

  update(id: string, patch: WindowPatch, scope: readonly string[]): MaintenanceWindow {
    const p = checkPatch.assert(patch);
    return this.db
      .transaction(() => {
        const cur = this.owned(id, scope);
        const next = { ...cur, ...p };
        this.checkWindow(next, scope);
        this.db
          .prepare(
            `UPDATE alert_windows SET area_prefix = ?, device_id = ?, kind = ?, starts_at = ?, ends_at = ?, reason = ?
             WHERE id = ?`,
          )
          .run(next.areaPrefix, next.deviceId ?? null, next.kind ?? null, next.startsAt, next.endsAt, next.reason, id);
        return this.get(id, scope)!;
      })
      .immediate();
  }

  /** Deletes a window; alerts it already suppressed stay suppressed (their history says why). */
  remove(id: string, scope: readonly string[]): MaintenanceWindow {
    const cur = this.owned(id, scope);
    this.db.prepare('DELETE FROM alert_windows WHERE id = ?').run(id);
    return cur;
  }

  get(id: string, scope: readonly string[]): MaintenanceWindow | null {
    const { sql, params } = this.visibleSql(scope);
    const row = this.db
      .prepare<unknown[], WindowRow>(`SELECT * FROM alert_windows WHERE id = ? AND ${sql}`)
      .get(id, ...params);
    return row ? toWindow(row) : null;
  }

  /** Windows visible in `scope`; with `activeAt`, only those open at that time. */
  list(scope: readonly string[], activeAt?: number): MaintenanceWindow[] {
    const { sql, params } = this.visibleSql(scope);
    const time = activeAt === undefined ? '' : ' AND starts_at <= ? AND ends_at > ?';
    const args = activeAt === undefined ? params : [...params, activeAt, activeAt];
    return this.db
      .prepare<unknown[], WindowRow>(`SELECT * FROM alert_windows WHERE ${sql}${time} ORDER BY starts_at, id`)
      .all(...args)
      .map(toWindow);
  }

  /** The window that covers an alarm from this source at `at` (the event's receivedAt), if any. */
  match(gridId: string, deviceId: string, kind: EventKind, at: number): MaintenanceWindow | null {
    const row = this.db
      .prepare<unknown[], WindowRow>(
        `SELECT * FROM alert_windows
         WHERE starts_at <= ? AND ends_at > ? AND ? LIKE area_prefix || '%'
           AND (device_id IS NULL OR device_id = ?) AND (kind IS NULL OR kind = ?)
         ORDER BY starts_at, id LIMIT 1`,
      )
      .get(at, at, gridId, deviceId, kind);
    return row ? toWindow(row) : null;
  }

  private owned(id: string, scope: readonly string[]): MaintenanceWindow {
    const cur = this.get(id, scope);
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
  private visibleSql(scope: readonly string[]): { sql: string; params: string[] } {
    checkScope(scope);
    if (scope.length === 0) return { sql: '1 = 0', params: [] };
    const inside = scopeSql('area_prefix', scope);
    const covering = scope.map(() => `? LIKE area_prefix || '%'`).join(' OR ');
    return { sql: `(${inside.sql} OR ${covering})`, params: [...inside.params, ...scope] };
  }
}
