import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/auth/audit-sink.js';
import { AuthError, AuthService, LOCK_MS, MAX_FAILURES } from '../../src/auth/auth-service.js';
import { SESSION_LIMITS } from '../../src/auth/sessions.js';
import { totpCode } from '../../src/auth/totp.js';
import { hashSecret } from '../../src/secrets.js';
import { describeEachDialect } from '../support/dialects.js';

const AREA = '341300';
const PASSWORD = 'Correct-Horse-42';
const T0 = Date.UTC(2024, 5, 1, 8, 0, 0);

/** A sealer that keeps the context binding (enough to see the seal is opened with the right user id). */
const sealer = {
  seal: (plain: string, context: string) => Buffer.from(JSON.stringify([context, plain])).toString('base64'),
  open: (sealed: string, context: string) => {
    const [c, p] = JSON.parse(Buffer.from(sealed, 'base64').toString()) as [string, string];
    if (c !== context) throw new Error('sealed for another context');
    return p;
  },
};

async function refusal(p: Promise<unknown>): Promise<AuthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

/**
 * Logins, lockout, second factor, sessions and first-admin setup, on SQLite and
 * PostgreSQL. Two AuthService objects over one database stand for two hub nodes.
 */
describeEachDialect('auth service', (ctx) => {
  function node() {
    const audit: AuditEntry[] = [];
    const auth = new AuthService(ctx.db, sealer, { record: (e) => void audit.push(e) });
    return { auth, audit };
  }

  it('creates accounts, refuses a taken or malformed name and a weak password', async () => {
    const { auth } = node();
    const a = await auth.createAccount(
      { username: 'op.one', displayName: '值班员', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    expect(a).toMatchObject({ password: PASSWORD });
    // Enrolled for step-up (maintenance windows), though login does not ask a city operator for the code.
    expect(a.totpSecret).toMatch(/^[A-Z2-7]+$/);
    expect(a.user).toMatchObject({ username: 'op.one', role: 'city_operator', areaCode: AREA, disabled: false });
    expect(await auth.users.count()).toBe(1);
    expect((await auth.users.byId(a.user.id))?.username).toBe('op.one');
    expect((await auth.users.list()).map((u) => u.username)).toEqual(['op.one']);
    const cred = await auth.users.credentials('op.one');
    expect(cred?.passwordHash).toMatch(/^scrypt\$/);
    expect(cred?.passwordHash).not.toContain(PASSWORD);

    const again = { username: 'op.one', displayName: 'x', role: 'city_operator' as const, areaCode: AREA };
    expect((await refusal(auth.createAccount(again, 'test', T0))).code).toBe('USERNAME_TAKEN');
    const bad = { ...again, username: 'X' };
    expect((await refusal(auth.createAccount(bad, 'test', T0))).code).toBe('INVALID_USERNAME');
    const weak = { ...again, username: 'op.two', password: 'abc' };
    expect((await refusal(auth.createAccount(weak, 'test', T0))).code).toBe('WEAK_PASSWORD');
    // Without a password one is generated; roles that see personal data get a sealed TOTP seed.
    const admin = await auth.createAccount({ ...again, username: 'adm.one', role: 'admin' }, 'test', T0);
    expect(admin.password.length).toBeGreaterThan(10);
    expect(admin.totpSecret).toMatch(/^[A-Z2-7]+$/);
    expect(admin.user.hasTotp).toBe(true);
    const sealed = (await auth.users.credentials('adm.one'))!.totpSealed!;
    expect(sealer.open(sealed, `totp:${admin.user.id}`)).toBe(admin.totpSecret);
  });

  it('two nodes creating one username at once make one account', async () => {
    const [a, b] = [node().auth, node().auth];
    const req = { username: 'same.name', displayName: 'x', role: 'city_operator' as const, areaCode: AREA };
    const results = await Promise.allSettled([
      a.createAccount({ ...req, password: PASSWORD }, 'test', T0),
      b.createAccount({ ...req, password: PASSWORD }, 'test', T0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as AuthError).code).toBe('USERNAME_TAKEN');
    expect(await a.users.count()).toBe(1);
  });

  it('logs in, authenticates the token, logs out; no secret reaches the audit log', async () => {
    const { auth, audit } = node();
    await auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    const r = await auth.login({ username: 'op.one', password: PASSWORD, ip: '10.0.0.1' }, T0);
    expect(r.expiresAt).toBe(T0 + SESSION_LIMITS.interactive.maxMs);
    const p = await auth.authenticate(r.token, T0 + 1000);
    expect(p).toMatchObject({ user: { username: 'op.one' }, session: { kind: 'interactive' } });
    expect(p!.viewer).toEqual({ userId: p!.user.id, role: 'city_operator', areaCode: AREA });
    expect(await auth.authenticate('nope'.repeat(8), T0)).toBeNull();
    expect(await auth.authenticate('', T0)).toBeNull();
    expect(await auth.authenticate('x'.repeat(300), T0)).toBeNull();
    // Only the hash of the token is stored.
    const rows = JSON.stringify(await ctx.db.all('SELECT * FROM sessions'));
    expect(rows).not.toContain(r.token);
    expect(rows).toContain(hashSecret(r.token));

    await auth.logout(p!);
    expect(await auth.authenticate(r.token, T0 + 2000)).toBeNull();
    // A wrong password is audited, never with the password or token in it.
    await refusal(auth.login({ username: 'op.one', password: 'Wrong-pass-1', ip: '10.0.0.1' }, T0));
    const log = JSON.stringify(audit);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('Wrong-pass-1');
    expect(log).not.toContain(r.token);
    expect(audit.map((e) => `${e.action}:${e.outcome}`)).toEqual(['login:ok', 'logout:ok', 'login:denied']);
  });

  it('gives the same answer for an unknown user as for a wrong password', async () => {
    const { auth } = node();
    await auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    const unknown = await refusal(auth.login({ username: 'nobody', password: 'x', ip: 'a' }, T0));
    const wrong = await refusal(auth.login({ username: 'op.one', password: 'x', ip: 'a' }, T0));
    expect([unknown.code, unknown.status, unknown.message]).toEqual([wrong.code, wrong.status, wrong.message]);
  });

  it(`locks an account for 15 minutes after ${MAX_FAILURES} failures, counted across nodes`, async () => {
    const [a, b] = [node(), node()];
    await a.auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    // Failures alternate between two nodes (and addresses): the count is the database's.
    for (let i = 0; i < MAX_FAILURES; i++) {
      const n = i % 2 ? b : a;
      const e = await refusal(n.auth.login({ username: 'op.one', password: `Wrong-${i}`, ip: `10.0.0.${i}` }, T0 + i));
      expect(e.code).toBe('BAD_CREDENTIALS');
    }
    expect((await a.auth.users.credentials('op.one'))!.failed).toBe(MAX_FAILURES);
    // The right password is refused on either node while locked.
    for (const n of [a, b]) {
      const e = await refusal(n.auth.login({ username: 'op.one', password: PASSWORD, ip: '10.9.9.9' }, T0 + 10));
      expect(e).toMatchObject({ code: 'LOCKED', status: 429 });
      expect(e.retryAfterMs).toBeGreaterThan(LOCK_MS - 100);
    }
    expect(a.audit.concat(b.audit).filter((e) => e.detail === 'locked')).toHaveLength(2);
    // After 15 minutes it opens, and a good login clears the count.
    const later = T0 + MAX_FAILURES + LOCK_MS;
    await b.auth.login({ username: 'op.one', password: PASSWORD, ip: '10.9.9.9' }, later);
    const cred = (await a.auth.users.credentials('op.one'))!;
    expect([cred.failed, cred.lockedUntil]).toEqual([0, 0]);
  });

  it('failures racing on two nodes are all counted and lock the account', async () => {
    const [a, b] = [node(), node()];
    await a.auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    await Promise.allSettled(
      Array.from({ length: MAX_FAILURES }, (_, i) =>
        (i % 2 ? b : a).auth.login({ username: 'op.one', password: `Wrong-${i}`, ip: `10.0.0.${i}` }, T0),
      ),
    );
    const cred = (await a.auth.users.credentials('op.one'))!;
    expect(cred.failed).toBe(MAX_FAILURES);
    expect(cred.lockedUntil).toBe(T0 + LOCK_MS);
    const e = await refusal(b.auth.login({ username: 'op.one', password: PASSWORD, ip: 'x' }, T0 + 1));
    expect(e.code).toBe('LOCKED');
  });

  it('throttles one address guessing across accounts (per node)', async () => {
    const { auth } = node();
    for (let i = 0; i < 30; i++)
      expect((await refusal(auth.login({ username: `nobody${i}`, password: 'x', ip: '10.6.6.6' }, T0))).code).toBe(
        'BAD_CREDENTIALS',
      );
    const e = await refusal(auth.login({ username: 'nobody', password: 'x', ip: '10.6.6.6' }, T0 + 1));
    expect(e).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
    expect((await refusal(auth.login({ username: 'nobody', password: 'x', ip: '10.7.7.7' }, T0 + 1))).code).toBe(
      'BAD_CREDENTIALS',
    );
  });

  it('asks roles with personal data for a TOTP code and refuses a replayed one', async () => {
    const { auth } = node();
    const a = await auth.createAccount(
      { username: 'adm.one', displayName: 'x', role: 'admin', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    const req = { username: 'adm.one', password: PASSWORD, ip: '10.0.0.1' };
    expect((await refusal(auth.login(req, T0))).code).toBe('TOTP_REQUIRED');
    expect((await refusal(auth.login({ ...req, totp: '000000' }, T0))).code).toBe(
      totpCode(a.totpSecret!, T0) === '000000' ? 'TOTP_REQUIRED' : 'TOTP_INVALID',
    );
    const code = totpCode(a.totpSecret!, T0);
    await auth.login({ ...req, totp: code }, T0);
    expect((await auth.users.credentials('adm.one'))!.totpLastStep).toBe(Math.floor(T0 / 30_000));
    // The same code again, even a second later inside its window: refused and counted.
    const replay = await refusal(auth.login({ ...req, totp: code }, T0 + 1000));
    expect(replay).toMatchObject({ code: 'TOTP_INVALID', status: 401 });
    expect((await auth.users.credentials('adm.one'))!.failed).toBe(1);
    // The next step's code works.
    await auth.login({ ...req, totp: totpCode(a.totpSecret!, T0 + 30_000) }, T0 + 30_000);
  });

  it('one TOTP code presented to two nodes at once logs in once', async () => {
    const [a, b] = [node(), node()];
    const acct = await a.auth.createAccount(
      { username: 'adm.one', displayName: 'x', role: 'admin', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    const req = { username: 'adm.one', password: PASSWORD, ip: '10.0.0.1', totp: totpCode(acct.totpSecret!, T0) };
    const results = await Promise.allSettled([a.auth.login(req, T0), b.auth.login(req, T0)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as AuthError).code).toBe('TOTP_INVALID');
    expect(await ctx.db.all('SELECT * FROM sessions')).toHaveLength(1);
  });

  it('refuses a disabled account and its existing sessions', async () => {
    const { auth } = node();
    const a = await auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA, password: PASSWORD },
      'test',
      T0,
    );
    const { token } = await auth.login({ username: 'op.one', password: PASSWORD, ip: 'a' }, T0);
    await auth.users.setDisabled(a.user.id, true);
    expect(await auth.authenticate(token, T0 + 1)).toBeNull();
    const e = await refusal(auth.login({ username: 'op.one', password: PASSWORD, ip: 'a' }, T0 + 2));
    expect(e).toMatchObject({ code: 'DISABLED', status: 403 });
  });

  it('ends interactive sessions after 30 idle minutes or 12 hours in all', async () => {
    const { auth } = node();
    const a = await auth.createAccount(
      { username: 'op.one', displayName: 'x', role: 'city_operator', areaCode: AREA },
      'test',
      T0,
    );
    const idle = await auth.sessions.create(a.user.id, 'interactive', T0);
    expect(await auth.sessions.isLive(idle.session.tokenHash, T0 + 29 * 60_000)).toBe(true);
    expect(await auth.authenticate(idle.token, T0 + 31 * 60_000)).toBeNull();
    expect(await auth.sessions.isLive(idle.session.tokenHash, T0 + 31 * 60_000)).toBe(false);

    // Touched every 10 minutes it stays alive, but never past 12 hours.
    const busy = await auth.sessions.create(a.user.id, 'interactive', T0);
    let t = T0;
    for (; t < T0 + 12 * 3600_000 - 10 * 60_000; t += 10 * 60_000)
      expect(await auth.authenticate(busy.token, t)).not.toBeNull();
    expect(await auth.authenticate(busy.token, T0 + 12 * 3600_000)).toBeNull();
    // isLive does not touch the idle clock.
    const quiet = await auth.sessions.create(a.user.id, 'interactive', T0);
    for (let m = 10; m <= 60; m += 10) await auth.sessions.isLive(quiet.session.tokenHash, T0 + m * 60_000);
    expect(await auth.authenticate(quiet.token, T0 + 31 * 60_000)).toBeNull();

    const live = await auth.sessions.liveAmong(
      [idle.session.tokenHash, busy.session.tokenHash, 'f'.repeat(64), busy.session.tokenHash],
      t - 1,
    );
    expect([...live]).toEqual([busy.session.tokenHash]);
    // Housekeeping forgets what can never be valid again.
    await auth.sessions.revoke(busy.session.tokenHash);
    expect(await auth.sessions.prune(T0 + 13 * 3600_000)).toBe(3);
    expect(await ctx.db.all('SELECT * FROM sessions')).toHaveLength(0);
  });

  it('issues read-only display sessions only for view-only roles, at most 30 days', async () => {
    const { auth } = node();
    await auth.createAccount(
      { username: 'wall.one', displayName: 'x', role: 'city_operator', areaCode: AREA },
      'test',
      T0,
    );
    await auth.createAccount({ username: 'adm.one', displayName: 'x', role: 'admin', areaCode: AREA }, 'test', T0);
    const token = await auth.issueDisplaySession('wall.one', 90, T0);
    const p = await auth.authenticate(token, T0 + 29 * 86_400_000);
    expect(p?.session).toMatchObject({ kind: 'display', expiresAt: T0 + 30 * 86_400_000 });
    expect(await auth.authenticate(token, T0 + 30 * 86_400_000)).toBeNull();
    expect((await refusal(auth.issueDisplaySession('adm.one', 7, T0))).code).toBe('ROLE_NOT_ALLOWED');
    expect((await refusal(auth.issueDisplaySession('nobody', 7, T0))).code).toBe('UNKNOWN_USER');
  });

  it('creates the first administrator once with the setup token', async () => {
    const { auth, audit } = node();
    const token = (await auth.ensureSetupToken(T0))!;
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(await ctx.db.all('SELECT * FROM settings'))).not.toContain(token);
    const req = { setupToken: token, username: 'adm.first', displayName: 'x', password: PASSWORD, areaCode: AREA };
    expect((await refusal(auth.setupFirstAdmin({ ...req, setupToken: 'w'.repeat(43) }, T0))).code).toBe(
      'SETUP_REFUSED',
    );
    // A rejected password does not burn the token.
    expect((await refusal(auth.setupFirstAdmin({ ...req, password: 'short' }, T0))).code).toBe('WEAK_PASSWORD');
    const a = await auth.setupFirstAdmin(req, T0 + 1000);
    expect(a.user.role).toBe('admin');
    expect(a.totpSecret).toBeTruthy();
    const again = await refusal(auth.setupFirstAdmin({ ...req, username: 'adm.second' }, T0 + 2000));
    expect(again).toMatchObject({ code: 'SETUP_REFUSED', status: 403 });
    expect(await auth.ensureSetupToken(T0 + 3000)).toBeNull();
    expect(await auth.users.count()).toBe(1);
    expect(audit.map((e) => `${e.action}:${e.outcome}`)).toEqual(['setup:denied', 'setup:ok', 'setup:denied']);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('refuses an expired setup token, and only the latest one works', async () => {
    const { auth } = node();
    const first = (await auth.ensureSetupToken(T0))!;
    const second = (await auth.ensureSetupToken(T0))!;
    const req = { setupToken: first, username: 'adm.first', displayName: 'x', password: PASSWORD, areaCode: AREA };
    expect((await refusal(auth.setupFirstAdmin(req, T0))).code).toBe('SETUP_REFUSED');
    const late = await refusal(auth.setupFirstAdmin({ ...req, setupToken: second }, T0 + 25 * 3600_000));
    expect(late.code).toBe('SETUP_REFUSED');
    await auth.setupFirstAdmin({ ...req, setupToken: second }, T0 + 3600_000);
  });

  it('two nodes given the setup token at once make one administrator', async () => {
    const [a, b] = [node().auth, node().auth];
    const token = (await a.ensureSetupToken(T0))!;
    const req = { setupToken: token, displayName: 'x', password: PASSWORD, areaCode: AREA };
    const results = await Promise.allSettled([
      a.setupFirstAdmin({ ...req, username: 'adm.a' }, T0),
      b.setupFirstAdmin({ ...req, username: 'adm.b' }, T0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as AuthError).code).toBe('SETUP_REFUSED');
    expect(await a.users.count()).toBe(1);
  });
});
