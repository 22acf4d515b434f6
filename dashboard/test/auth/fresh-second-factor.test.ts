import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/auth/audit-sink.js';
import { AuthError, AuthService } from '../../src/auth/auth-service.js';
import { requireFreshSecondFactor } from '../../src/auth/fresh-second-factor.js';
import { StepUp } from '../../src/auth/step-up.js';
import { totpCode } from '../../src/auth/totp.js';
import { describeEachDialect } from '../support/dialects.js';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const WINDOW = 5 * 60_000;
/** Plain-text "sealing": these tests are about step-up, not about the hub key. */
const sealer = { seal: (p: string) => p, open: (s: string) => s };

describeEachDialect('requireFreshSecondFactor', (ctx) => {
  it('lets a session act within the step-up window, then asks again; other sessions and refusals are audited', async () => {
    const audit: AuditEntry[] = [];
    const sink = { record: (e: AuditEntry) => void audit.push(e) };
    const auth = new AuthService(ctx.db, sealer, sink);
    const stepUp = new StepUp(ctx.db, sealer, sink, WINDOW);
    // A street leader logs in with a password alone but is enrolled for step-up.
    const a = await auth.createAccount(
      { username: 'leader.x', displayName: 'x', role: 'street_leader', areaCode: '341302001' },
      't',
      T0,
    );
    expect(a.totpSecret).toMatch(/^[A-Z2-7]+$/);
    const p = (await auth.authenticate((await auth.sessions.create(a.user.id, 'interactive', T0)).token, T0))!;
    const check = (now: number, who = p) => requireFreshSecondFactor(stepUp, sink, who, now, 'maintenance:create');
    const code = async (x: Promise<unknown>) =>
      (
        (await x.then(
          () => null,
          (e: unknown) => e,
        )) as AuthError
      ).code;

    expect(await code(check(T0))).toBe('STEP_UP_REQUIRED');
    expect(audit.at(-1)).toMatchObject({ action: 'maintenance:create', outcome: 'denied', userId: a.user.id });
    await stepUp.verify(p, totpCode(a.totpSecret!, T0), T0);
    await check(T0 + WINDOW);
    expect(await code(check(T0 + WINDOW + 1))).toBe('STEP_UP_REQUIRED');
    const other = await auth.sessions.create(a.user.id, 'interactive', T0);
    const q = (await auth.authenticate(other.token, T0))!;
    expect(await code(check(T0 + 1000, q))).toBe('STEP_UP_REQUIRED');
  });
});
