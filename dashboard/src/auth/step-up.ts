import type { SqlDb } from '../store/sql/sql-db.js';
import type { AuditSink } from './audit-sink.js';
// A cycle with auth-service.ts (which builds a StepUp): both use the other's exports only inside functions.
import { AuthError, LOCK_MS, MAX_FAILURES, type Principal, type Sealer } from './auth-service.js';
import { totpStep } from './totp.js';
import { UserRepo } from './users.js';

/** How long one step-up answer covers sensitive actions of that session. */
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;

/**
 * Step-up: a logged-in person answers the second factor again before an
 * action that needs a fresh one (declaring a maintenance window, approving
 * one). The answer is recorded per session (table session_step_ups), so it
 * holds on every hub node and dies with the session.
 */
export class StepUp {
  constructor(
    private readonly db: SqlDb,
    private readonly box: Sealer,
    private readonly audit: AuditSink,
  ) {}

  /**
   * Checks a TOTP code for the session's user and records the step-up. A code
   * is accepted once (the same replay guard as login); wrong codes count
   * toward the account's lockout.
   */
  async verify(p: Principal, code: string, now: number): Promise<{ at: number; validUntil: number }> {
    const who = { userId: p.user.id, role: p.user.role, action: 'step_up', targetType: 'user', targetId: p.user.id };
    const users = new UserRepo(this.db);
    const cred = await users.credentials(p.user.username);
    const refuse = (detail: string, err: AuthError) => {
      this.audit.record({ ...who, outcome: 'denied', detail });
      return err;
    };
    if (p.session.kind !== 'interactive')
      throw refuse(
        'display session',
        new AuthError('STEP_UP_REFUSED', '大屏会话不能进行二次验证 (display sessions cannot step up)', 403),
      );
    if (!cred?.totpSealed)
      throw refuse(
        'no second factor enrolled',
        new AuthError(
          'TOTP_NOT_ENROLLED',
          '该账户未绑定动态口令，请联系管理员 (no second factor enrolled; ask an administrator)',
          403,
        ),
      );
    if (cred.lockedUntil > now)
      throw refuse('locked', new AuthError('LOCKED', '账户已锁定 (account locked)', 429, cred.lockedUntil - now));
    const step = totpStep(this.box.open(cred.totpSealed, `totp:${p.user.id}`), code, now);
    // recordSuccess refuses a step not newer than the last accepted one: a code works once, here or at login.
    if (step === null || step <= cred.totpLastStep || !(await users.recordSuccess(p.user.id, step, now))) {
      const failed = await users.recordFailure(p.user.id, MAX_FAILURES, now + LOCK_MS);
      throw refuse(
        `bad or reused second factor; failures ${failed}`,
        new AuthError('TOTP_INVALID', '动态口令错误或已使用 (wrong or reused code)', 403),
      );
    }
    await this.db.run(
      `INSERT INTO session_step_ups (token_hash, user_id, at) VALUES (?, ?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET at = excluded.at`,
      [p.session.tokenHash, p.user.id, now],
    );
    this.audit.record({ ...who, outcome: 'ok' });
    return { at: now, validUntil: now + STEP_UP_MAX_AGE_MS };
  }

  /** When this session last stepped up, or null. */
  async lastAt(p: Principal): Promise<number | null> {
    const r = await this.db.get<{ at: number; user_id: string }>(
      'SELECT at, user_id FROM session_step_ups WHERE token_hash = ?',
      [p.session.tokenHash],
    );
    return r && r.user_id === p.user.id ? Number(r.at) : null;
  }
}
