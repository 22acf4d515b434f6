import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import type { AuditSink } from './audit-sink.js';
import { AuthError, LOCK_MS, MAX_FAILURES, type Principal, type Sealer } from './auth-service.js';
import { SessionRepo } from './sessions.js';
import { totpStep } from './totp.js';
import { UserRepo } from './users.js';

/**
 * Step-up: the TOTP code re-entered for this session, minutes before an act
 * that exposes personal data in full (an unmasked read) or hands out that
 * right (an unmasking grant). The time is kept on the session row, so every
 * hub node sees it. A code is accepted once (the login's replay guard), and
 * wrong codes count towards the account's lockout; the failure that locks the
 * account also ends this session, so a stolen session cannot keep guessing.
 */
export class StepUp {
  private readonly users: UserRepo;
  private readonly sessions: SessionRepo;

  constructor(
    private readonly db: SqlDb,
    private readonly box: Sealer,
    private readonly audit: AuditSink,
    /** How long a step-up counts as fresh. */
    readonly windowMs: number,
  ) {
    this.users = new UserRepo(db);
    this.sessions = new SessionRepo(db);
  }

  /** Checks the code and marks the session stepped up; returns until when it counts. */
  async verify(p: Principal, code: string, now: number): Promise<{ freshUntil: number }> {
    const who = { userId: p.user.id, role: p.user.role, action: 'step-up', targetType: 'user', targetId: p.user.id };
    const cred = await this.users.credentials(p.user.username);
    if (!cred?.totpSealed)
      throw new AuthError('TOTP_NOT_ENROLLED', '该账户未绑定动态口令 (no second factor enrolled)', 403);
    if (cred.lockedUntil > now) {
      this.audit.record({ ...who, outcome: 'denied', detail: 'locked' });
      throw new AuthError('LOCKED', '账户已锁定，请稍后再试 (account locked)', 429, cred.lockedUntil - now);
    }
    const step = totpStep(this.box.open(cred.totpSealed, `totp:${p.user.id}`), code, now);
    // recordSuccess is conditional on the stored last step, so one code is spent once across all nodes.
    const ok = step !== null && step > cred.totpLastStep && (await this.users.recordSuccess(p.user.id, step, now));
    if (!ok) {
      const failed = await this.users.recordFailure(p.user.id, MAX_FAILURES, now + LOCK_MS);
      if (failed >= MAX_FAILURES) await this.sessions.revoke(p.session.tokenHash);
      this.audit.record({ ...who, outcome: 'denied', detail: `bad or reused second factor; failures ${failed}` });
      throw new AuthError('TOTP_INVALID', '动态口令错误或已使用 (wrong or reused code)', 403);
    }
    await this.db.run('UPDATE sessions SET step_up_at = ? WHERE token_hash = ?', [now, p.session.tokenHash]);
    this.audit.record({ ...who, outcome: 'ok' });
    return { freshUntil: now + this.windowMs };
  }

  /** True when this session re-entered its code within the window before `now`. */
  async isFresh(tokenHash: string | undefined, now: number, t: SqlExec = this.db): Promise<boolean> {
    return isFresh(t, tokenHash, now, this.windowMs);
  }
}

/** The freshness test on its own, for services below the API that are handed the session's hash. */
export async function isFresh(
  db: SqlExec,
  tokenHash: string | undefined,
  now: number,
  windowMs: number,
): Promise<boolean> {
  if (!tokenHash) return false;
  const r = await db.get<{ step_up_at: number }>(
    'SELECT step_up_at FROM sessions WHERE token_hash = ? AND revoked = 0',
    [tokenHash],
  );
  const at = Number(r?.step_up_at ?? 0);
  return at > 0 && at <= now && now - at <= windowMs;
}
