import { ulid } from 'ulidx';
import { can, inScope, type Role } from '@linli/contract';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditDetail, AuditOutcome } from '../audit/types.js';
import { UnmaskRefused } from '../privacy/errors.js';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import type { UnmaskLimits } from './unmask-limits.js';
import { type User, UserRepo } from './users.js';

/** Who grants: an administrator over REST (inside their area), or the hub machine's operator (`system`, the CLI). */
export interface GrantActor {
  userId: string;
  role: Role | 'system';
  /** null for the CLI: whoever runs it can read the hub's data folder anyway. */
  areaCode: string | null;
}

export interface UnmaskGrant {
  id: string;
  userId: string;
  grantedBy: string;
  grantedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
}

interface Row {
  id: string;
  user_id: string;
  granted_by: string;
  granted_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** Roles that may be granted unmasking: those that read records at all. Never a role's own permission. */
export function mayHoldUnmaskGrant(role: Role): boolean {
  return can(role, 'personal_read');
}

/**
 * Per-user grants of `personal_unmasked` (migration 011). No role carries it;
 * an administrator gives it to one named user until a set time (at most
 * `maxGrantMs` ahead), and may end it early. Every grant, revocation and
 * refusal is in the audit log, written in the same transaction as the change.
 */
export class UnmaskGrants {
  constructor(
    private readonly db: SqlDb,
    private readonly audit: AuditLog,
    private readonly limits: UnmaskLimits,
  ) {}

  /** Gives `targetUserId` unmasking until `until`, replacing any grant they hold now. */
  async grant(actor: GrantActor, targetUserId: string, until: number, now: number): Promise<UnmaskGrant> {
    const target = await this.target(actor, 'unmask.grant', targetUserId, now);
    const refuse = (
      code: 'GRANT_NOT_APPLICABLE' | 'GRANT_INVALID_UNTIL' | 'GRANT_TOO_LONG',
      why: string,
      msg: string,
    ) => this.refuse(actor, 'unmask.grant', target, now, code, why, msg, 400);
    if (!mayHoldUnmaskGrant(target.role) || target.disabled)
      throw await refuse(
        'GRANT_NOT_APPLICABLE',
        target.disabled ? 'disabled' : 'role',
        `该用户的角色不能查看个人记录，不能授予明文查看权限 (role ${target.role} reads no records, or the account is disabled)`,
      );
    if (!Number.isFinite(until) || until <= now)
      throw await refuse('GRANT_INVALID_UNTIL', 'until_past', '截止时间须晚于当前时间 (until must be in the future)');
    if (until - now > this.limits.maxGrantMs)
      throw await refuse(
        'GRANT_TOO_LONG',
        'too_long',
        `授权期限最长 ${Math.round(this.limits.maxGrantMs / 3600_000)} 小时 (a grant lasts at most ${this.limits.maxGrantMs} ms)`,
      );
    return this.db.tx(async (t) => {
      await t.lock(`unmask-grant:${target.id}`);
      const replaced = await endActive(t, target.id, actor.userId, now);
      const g: UnmaskGrant = {
        id: ulid(now),
        userId: target.id,
        grantedBy: actor.userId,
        grantedAt: now,
        expiresAt: until,
        revokedAt: null,
        revokedBy: null,
      };
      await t.run(
        'INSERT INTO unmask_grants (id, user_id, granted_by, granted_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        [g.id, g.userId, g.grantedBy, g.grantedAt, g.expiresAt],
      );
      await this.log(actor, 'unmask.grant', target, 'ok', now, { grant: g.id, until, replaced }, t);
      return g;
    });
  }

  /** Ends the target's active grant now; the number ended (0 when there was none, which is audited too). */
  async revoke(actor: GrantActor, targetUserId: string, now: number): Promise<number> {
    const target = await this.target(actor, 'unmask.revoke', targetUserId, now);
    return this.db.tx(async (t) => {
      await t.lock(`unmask-grant:${target.id}`);
      const ended = await endActive(t, target.id, actor.userId, now);
      await this.log(actor, 'unmask.revoke', target, 'ok', now, { ended }, t);
      return ended;
    });
  }

  /** The grant in force for this user at `now`, if any. */
  async active(userId: string, now: number, t: SqlExec = this.db): Promise<UnmaskGrant | null> {
    const r = await t.get<Row>(
      `SELECT * FROM unmask_grants WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
       ORDER BY expires_at DESC LIMIT 1`,
      [userId, now],
    );
    return r ? toGrant(r) : null;
  }

  /** The most recent grant ever given to this user (to tell an expired grant from none, in the audit log). */
  async latest(userId: string): Promise<UnmaskGrant | null> {
    const r = await this.db.get<Row>('SELECT * FROM unmask_grants WHERE user_id = ? ORDER BY granted_at DESC LIMIT 1', [
      userId,
    ]);
    return r ? toGrant(r) : null;
  }

  /** Grants in force at `now` for users inside the actor's area, with who holds them. */
  async listActive(actor: GrantActor, now: number): Promise<(UnmaskGrant & { username: string; role: Role })[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM unmask_grants WHERE revoked_at IS NULL AND expires_at > ? ORDER BY expires_at',
      [now],
    );
    const users = new UserRepo(this.db);
    const out: (UnmaskGrant & { username: string; role: Role })[] = [];
    for (const r of rows) {
      const u = await users.byId(r.user_id);
      if (u && (actor.areaCode === null || inScope(actor.areaCode, u.areaCode)))
        out.push({ ...toGrant(r), username: u.username, role: u.role });
    }
    return out;
  }

  /** The target user, inside the actor's area; anything else is answered like a missing user (and audited). */
  private async target(actor: GrantActor, action: string, userId: string, now: number): Promise<User> {
    const u = await new UserRepo(this.db).byId(userId);
    if (u && (actor.areaCode === null || inScope(actor.areaCode, u.areaCode))) return u;
    await this.audit.append({
      userId: actor.userId,
      role: actor.role,
      action,
      target: { type: 'user', id: userId },
      outcome: 'denied',
      areaCode: actor.areaCode,
      detail: { refused: u ? 'out_of_scope' : 'unknown_user' },
      time: now,
    });
    throw new UnmaskRefused('UNKNOWN_USER', '用户不存在或不在您的管辖范围内 (no such user in your area)', 404);
  }

  private async refuse(
    actor: GrantActor,
    action: string,
    target: User,
    now: number,
    code: 'GRANT_NOT_APPLICABLE' | 'GRANT_INVALID_UNTIL' | 'GRANT_TOO_LONG',
    why: string,
    message: string,
    status: number,
  ): Promise<UnmaskRefused> {
    await this.log(actor, action, target, 'denied', now, { refused: why });
    return new UnmaskRefused(code, message, status);
  }

  private log(
    actor: GrantActor,
    action: string,
    target: User,
    outcome: AuditOutcome,
    now: number,
    detail: AuditDetail,
    t?: SqlExec,
  ): Promise<unknown> {
    return this.audit.append(
      {
        userId: actor.userId,
        role: actor.role,
        action,
        target: { type: 'user', id: target.id },
        outcome,
        areaCode: target.areaCode,
        detail,
        time: now,
      },
      t,
    );
  }
}

async function endActive(t: SqlExec, userId: string, by: string, now: number): Promise<number> {
  return (
    await t.run(
      'UPDATE unmask_grants SET revoked_at = ?, revoked_by = ? WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?',
      [now, by, userId, now],
    )
  ).changes;
}

function toGrant(r: Row): UnmaskGrant {
  return {
    id: r.id,
    userId: r.user_id,
    grantedBy: r.granted_by,
    grantedAt: Number(r.granted_at),
    expiresAt: Number(r.expires_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    revokedBy: r.revoked_by,
  };
}
