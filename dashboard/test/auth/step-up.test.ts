import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/auth/audit-sink.js';
import { AuthService, MAX_FAILURES } from '../../src/auth/auth-service.js';
import { StepUp } from '../../src/auth/step-up.js';
import { totpCode } from '../../src/auth/totp.js';
import { describeEachDialect } from '../support/dialects.js';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const WINDOW = 5 * 60_000;
/** Keeps the context binding, as the hub's FieldCrypto does. */
const sealer = {
  seal: (plain: string, context: string) => JSON.stringify([context, plain]),
  open: (sealed: string, context: string) => {
    const [c, p] = JSON.parse(sealed) as [string, string];
    if (c !== context) throw new Error('sealed for another context');
    return p;
  },
};

/** Step-up on SQLite and PostgreSQL; two StepUp objects over one database stand for two hub nodes. */
describeEachDialect('step-up', (ctx) => {
  async function setup() {
    const audit: AuditEntry[] = [];
    const sink = { record: (e: AuditEntry) => void audit.push(e) };
    const auth = new AuthService(ctx.db, sealer, sink);
    const a = await auth.createAccount(
      { username: 'worker.a', displayName: 'w', role: 'community_worker', areaCode: '341302001001' },
      'test',
      T0,
    );
    const login = await auth.login(
      { username: 'worker.a', password: a.password, totp: totpCode(a.totpSecret!, T0), ip: '127.0.0.1' },
      T0,
    );
    const principal = (await auth.authenticate(login.token, T0))!;
    const nodes = [new StepUp(ctx.db, sealer, sink, WINDOW), new StepUp(ctx.db, sealer, sink, WINDOW)] as const;
    return { auth, audit, secret: a.totpSecret!, principal, token: login.token, nodes };
  }

  it('marks the session fresh for the window, for this session only, and spends a code once across nodes', async () => {
    const { auth, secret, principal, nodes } = await setup();
    const hash = principal.session.tokenHash;
    expect(await nodes[0].isFresh(hash, T0)).toBe(false);
    // The login spent the code of T0's step: the same code again is a replay.
    await expect(nodes[0].verify(principal, totpCode(secret, T0), T0)).rejects.toMatchObject({ code: 'TOTP_INVALID' });
    const t1 = T0 + 60_000;
    const code = totpCode(secret, t1);
    expect(await nodes[0].verify(principal, code, t1)).toEqual({ freshUntil: t1 + WINDOW });
    await expect(nodes[1].verify(principal, code, t1 + 1000)).rejects.toMatchObject({ code: 'TOTP_INVALID' });
    expect(await nodes[1].isFresh(hash, t1 + WINDOW)).toBe(true);
    expect(await nodes[1].isFresh(hash, t1 + WINDOW + 1)).toBe(false);
    const other = await auth.sessions.create(principal.user.id, 'interactive', t1);
    expect(await nodes[0].isFresh(other.session.tokenHash, t1 + 1)).toBe(false);
  });

  it('counts wrong codes towards the lockout; the locking failure ends the session', async () => {
    const { auth, audit, principal, token, nodes } = await setup();
    for (let i = 1; i <= MAX_FAILURES; i++)
      await expect(nodes[i % 2]!.verify(principal, '000000', T0 + i * 1000)).rejects.toMatchObject({
        code: 'TOTP_INVALID',
        status: 403,
      });
    expect(await auth.authenticate(token, T0 + 10_000)).toBeNull();
    await expect(nodes[0].verify(principal, '123456', T0 + 11_000)).rejects.toMatchObject({ code: 'LOCKED' });
    expect(audit.filter((e) => e.action === 'step-up').map((e) => e.outcome)).toEqual([
      ...Array<string>(MAX_FAILURES).fill('denied'),
      'denied',
    ]);
  });
});
