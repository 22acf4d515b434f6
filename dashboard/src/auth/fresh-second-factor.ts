import type { AuditSink } from './audit-sink.js';
import { AuthError, type Principal } from './auth-service.js';
import { STEP_UP_MAX_AGE_MS, type StepUp } from './step-up.js';

/**
 * Refuses, with STEP_UP_REQUIRED (403) and a denied audit entry naming
 * `action`, unless this session answered its second factor within `maxAgeMs`
 * (POST /api/step-up). Call it before any action that needs a fresh second
 * factor; the cockpit asks for the code and retries.
 */
export async function requireFreshSecondFactor(
  stepUp: StepUp,
  audit: AuditSink,
  p: Principal,
  now: number,
  action: string,
  maxAgeMs = STEP_UP_MAX_AGE_MS,
): Promise<void> {
  const at = await stepUp.lastAt(p);
  if (at !== null && now - at <= maxAgeMs && at <= now) return;
  audit.record({
    userId: p.user.id,
    role: p.user.role,
    action,
    outcome: 'denied',
    detail: at === null ? 'no step-up in this session' : `step-up ${Math.round((now - at) / 1000)} s ago, too old`,
  });
  throw new AuthError(
    'STEP_UP_REQUIRED',
    `此操作需在 ${Math.round(maxAgeMs / 60_000)} 分钟内重新输入动态口令 (enter your authenticator code again: POST /api/step-up)`,
    403,
  );
}
