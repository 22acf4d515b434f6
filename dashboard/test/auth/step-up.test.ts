import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/auth/audit-sink.js';
import { AuthError, AuthService, type Principal } from '../../src/auth/auth-service.js';
import { requireFreshSecondFactor } from '../../src/auth/fresh-second-factor.js';
import { STEP_UP_MAX_AGE_MS } from '../../src/auth/step-up.js';
import { totpCode } from '../../src/auth/totp.js';
import { describeEachDialect } from '../support/dialects.js';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
/** Plain-text "sealing": these tests are about step-up, not about the hub key. */
const sealer = { seal: (p: string) => p, open: (s: string) => s };

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return (err as AuthError).code;
}

describeEachDialect('step-up (fresh second factor)', (ctx) => {
  async function setup(role: 'street_leader' | 'installer' = 'street_leader') {
    const audit: AuditEntry[] = [];
    const auth = new AuthService(ctx.db, sealer, { record: (e) => void audit.push(e) });
    const a = await auth.createAccount(
      { username: 'leader.x', displayName: 'x', role, areaCode: '341302001' },
      't',
      T0,
    );
    const session = await auth.sessions.create(a.user.id, 'interactive', T0);
    const p = (await auth.authenticate(session.token, T0))!;
    return { auth, audit, secret: a.totpSecret, p };
  }
  const fresh = (auth: AuthService, audit: AuditEntry[], p: Principal, now: number) =>
    requireFreshSecondFactor(auth.stepUp, { record: (e) => void audit.push(e) }, p, now, 'maintenance:create');

  it('lets a session act for five minutes after a step-up, then asks again; every refusal is audited', async () => {
    const { auth, audit, secret, p } = await setup();
    expect(await codeOf(fresh(auth, audit, p, T0))).toBe('STEP_UP_REQUIRED');
    expect(audit.at(-1)).toMatchObject({ action: 'maintenance:create', outcome: 'denied' });
    await auth.stepUp.verify(p, totpCode(secret!, T0), T0);
    await fresh(auth, audit, p, T0 + STEP_UP_MAX_AGE_MS);
    expect(await codeOf(fresh(auth, audit, p, T0 + STEP_UP_MAX_AGE_MS + 1))).toBe('STEP_UP_REQUIRED');
    // Another session of the same user has not stepped up.
    const other = await auth.sessions.create(p.user.id, 'interactive', T0);
    const q = (await auth.authenticate(other.token, T0))!;
    expect(await codeOf(fresh(auth, audit, q, T0 + 1000))).toBe('STEP_UP_REQUIRED');
  });

  it('accepts a code once, counts wrong codes toward the lockout, refuses display sessions', async () => {
    const { auth, audit, secret, p } = await setup();
    const code = totpCode(secret!, T0);
    await auth.stepUp.verify(p, code, T0);
    expect(await codeOf(auth.stepUp.verify(p, code, T0 + 1000))).toBe('TOTP_INVALID');
    for (let i = 0; i < 4; i++) expect(await codeOf(auth.stepUp.verify(p, '000000', T0 + 2000))).toBe('TOTP_INVALID');
    expect(await codeOf(auth.stepUp.verify(p, totpCode(secret!, T0 + 30_000), T0 + 30_000))).toBe('LOCKED');
    expect(audit.filter((e) => e.action === 'step_up' && e.outcome === 'denied').length).toBeGreaterThanOrEqual(6);
    const wall = await auth.sessions.create(p.user.id, 'display', T0);
    const w = (await auth.authenticate(wall.token, T0))!;
    expect(await codeOf(auth.stepUp.verify(w, totpCode(secret!, T0 + 60_000), T0 + 60_000))).toBe('STEP_UP_REFUSED');
  });

  it('refuses a role with no authenticator', async () => {
    const { auth, p, secret } = await setup('installer');
    expect(secret).toBeNull();
    expect(await codeOf(auth.stepUp.verify(p, '123456', T0))).toBe('TOTP_NOT_ENROLLED');
  });
});
