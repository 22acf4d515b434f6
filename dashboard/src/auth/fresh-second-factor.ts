import type { AuditSink } from './audit-sink.js';
import { AuthError, type Principal } from './auth-service.js';
import type { StepUp } from './step-up.js';

/**
 * Refuses, with STEP_UP_REQUIRED (403) and a denied audit entry naming
 * `action`, unless this session re-entered its TOTP code within the step-up
 * window (POST /api/step-up, auth/step-up.ts). Call it first in any handler
 * whose route declares `stepUp: true`; the cockpit asks for the code and retries.
 */
export async function requireFreshSecondFactor(
  stepUp: StepUp,
  audit: AuditSink,
  p: Principal,
  now: number,
  action: string,
): Promise<void> {
  if (await stepUp.isFresh(p.session.tokenHash, now)) return;
  audit.record({ userId: p.user.id, role: p.user.role, action, outcome: 'denied', detail: 'step-up required' });
  throw new AuthError(
    'STEP_UP_REQUIRED',
    `此操作需在 ${stepUp.windowMs / 60_000} 分钟内重新输入动态口令 (enter your authenticator code again: POST /api/step-up)`,
    403,
  );
}
