import { can, inScope, type Viewer } from '@linli/contract';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditDetail } from '../audit/types.js';
import { isFresh } from '../auth/step-up.js';
import { UnmaskGrants } from '../auth/unmask-grants.js';
import { HOUR_MS, type UnmaskLimits } from '../auth/unmask-limits.js';
import { AccessDenied, UnmaskRefused } from '../privacy/errors.js';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import { visibleCategories } from './categories.js';
import type { ResidentStore, StoredRow } from './resident-store.js';
import { type ResidentRecord, UNMASK_REASONS, type UnmaskReason } from './types.js';

/** The audit action of every unmasked read and every refused attempt; the rate limit and the auditors' list read it. */
export const UNMASK_ACTION = 'people.unmask';

export interface UnmaskRequest {
  reason?: string;
  /** The session's token hash: a step-up belongs to one session. */
  sessionHash?: string;
}

/**
 * The one way a record leaves in full. In this order, each refusal audited
 * (outside any transaction, so no rollback takes it away) with a typed code:
 * a role that reads records at all; an unexpired per-user grant
 * (UNMASK_NOT_GRANTED); a reason from the fixed list (UNMASK_REASON_REQUIRED);
 * a step-up for this session within the window (STEP_UP_REQUIRED); the record
 * inside the viewer's area; and, under a per-user lock, fewer than `perHour`
 * unmasked reads in the last hour (RATE_LIMITED). The count is taken from the
 * audit log in the same transaction that appends the read, so hub nodes
 * sharing one database share one limit.
 */
export class UnmaskGate {
  private readonly grants: UnmaskGrants;

  constructor(
    private readonly db: SqlDb,
    private readonly store: ResidentStore,
    private readonly audit: AuditLog,
    private readonly limits: UnmaskLimits,
  ) {
    this.grants = new UnmaskGrants(db, audit, limits);
  }

  async read(
    viewer: Viewer,
    id: string,
    req: UnmaskRequest,
    now: number,
    reveal: (row: StoredRow) => ResidentRecord,
  ): Promise<ResidentRecord> {
    const reason = UNMASK_REASONS.includes(req.reason as UnmaskReason) ? (req.reason as UnmaskReason) : null;
    const deny = async (why: string, area: string, err: Error) => {
      await this.log(viewer, id, 'denied', area, now, { refused: why, reason });
      return err;
    };
    const here = viewer.areaCode;
    if (!can(viewer.role, 'personal_read'))
      throw await deny('no_permission', here, new AccessDenied('individual records need personal_read'));
    const grant = await this.grants.active(viewer.userId, now);
    if (!grant) {
      const expired = (await this.grants.latest(viewer.userId)) !== null;
      throw await deny(
        expired ? 'grant_ended' : 'not_granted',
        here,
        new UnmaskRefused(
          'UNMASK_NOT_GRANTED',
          '您没有查看明文个人信息的授权，或授权已到期；请联系管理员 (no unmasking grant, or it has ended; ask an administrator)',
          403,
        ),
      );
    }
    if (!reason)
      throw await deny(
        'no_reason',
        here,
        new UnmaskRefused(
          'UNMASK_REASON_REQUIRED',
          `查看明文须选择事由 (a reason is required: ${UNMASK_REASONS.join(', ')})`,
          400,
        ),
      );
    if (!(await isFresh(this.db, req.sessionHash, now, this.limits.stepUpMs)))
      throw await deny(
        'step_up_required',
        here,
        new UnmaskRefused(
          'STEP_UP_REQUIRED',
          `请重新输入动态口令后再查看明文 (re-enter your TOTP code: a step-up within ${this.limits.stepUpMs / 60_000} min is required)`,
          403,
        ),
      );
    const row = await this.store.get(id);
    const missing = () => new AccessDenied('no such record in your area');
    if (!row) throw await deny('not_found', here, missing());
    if (!inScope(viewer.areaCode, row.grid_code)) throw await deny('out_of_scope', row.grid_code, missing());
    if (!visibleCategories(viewer.role).includes(row.category)) throw await deny('category', row.grid_code, missing());
    const out = await this.db.tx(async (t) => {
      await t.lock(`unmask:${viewer.userId}`);
      const used = await countSince(t, viewer.userId, now - HOUR_MS);
      if (used.n >= this.limits.perHour) return { rec: null, retryAfterMs: used.oldest + HOUR_MS - now };
      const rec = reveal(row);
      await this.log(viewer, id, 'ok', row.grid_code, now, { category: row.category, reason, grant: grant.id }, t);
      return { rec, retryAfterMs: 0 };
    });
    if (out.rec) return out.rec;
    throw await deny(
      'rate_limited',
      row.grid_code,
      new UnmaskRefused(
        'RATE_LIMITED',
        `每小时最多查看 ${this.limits.perHour} 条明文记录，请稍后再试 (at most ${this.limits.perHour} unmasked reads an hour)`,
        429,
        Math.max(1000, out.retryAfterMs),
      ),
    );
  }

  /** A list asking for unmasked records is refused outright: unmasking is one record at a time. */
  async refuseBulk(viewer: Viewer, areaCode: string, now: number): Promise<never> {
    await this.audit.append({
      userId: viewer.userId,
      role: viewer.role,
      action: 'people.list',
      target: { type: 'area', id: areaCode },
      outcome: 'denied',
      areaCode: viewer.areaCode,
      detail: { refused: 'bulk_unmask' },
      time: now,
    });
    throw new UnmaskRefused(
      'BULK_UNMASK_REFUSED',
      '列表只返回脱敏记录；明文只能逐条申请 (lists are always masked; unmask one record at a time)',
      403,
    );
  }

  private log(
    viewer: Viewer,
    id: string,
    outcome: 'ok' | 'denied',
    areaCode: string,
    now: number,
    detail: AuditDetail,
    t?: SqlExec,
  ): Promise<unknown> {
    return this.audit.append(
      {
        userId: viewer.userId,
        role: viewer.role,
        action: UNMASK_ACTION,
        target: { type: 'resident', id },
        outcome,
        areaCode,
        detail,
        time: now,
      },
      t,
    );
  }
}

/** Unmasked reads by this user since `from`, and when the oldest of them was. */
async function countSince(t: SqlExec, userId: string, from: number): Promise<{ n: number; oldest: number }> {
  const r = await t.get<{ n: number; oldest: number | null }>(
    `SELECT count(*) AS n, min(time) AS oldest FROM audit_log
     WHERE user_id = ? AND action = ? AND outcome = 'ok' AND time > ?`,
    [userId, UNMASK_ACTION, from],
  );
  return { n: Number(r?.n ?? 0), oldest: Number(r?.oldest ?? from) };
}
