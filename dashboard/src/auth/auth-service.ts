import {
  enrolsSecondFactor,
  type ErrorCode,
  LinliError,
  needsSecondFactor,
  type Role,
  type Viewer,
} from '@linli/contract';
import { hashSecret, newSecret, secretMatches } from '../secrets.js';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import type { AuditSink } from './audit-sink.js';
import { IpThrottle } from './ip-throttle.js';
import { NameFailures } from './name-failures.js';
import { dummyHash, hashPassword, passwordProblem, randomPassword, verifyPassword } from './passwords.js';
import { removeSetupTokenFile } from './setup-token-file.js';

import { type Session, SessionRepo } from './sessions.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';
import { type User, USERNAME_PATTERN, UserRepo } from './users.js';

/** Five wrong answers in a row lock the account for 15 minutes. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const SETUP_TTL_MS = 24 * 3600_000;
const SETUP_HASH = 'setup_token_hash';
const SETUP_EXPIRES = 'setup_token_expires';

/** Seals small secrets at rest (the hub's FieldCrypto); `context` binds a value to its owner. */
export interface Sealer {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

export interface Principal {
  user: User;
  viewer: Viewer;
  session: Session;
}

export interface NewAccount {
  user: User;
  /** Shown once to whoever created the account. */
  password: string;
  /** otpauth:// URI for the authenticator app, for roles that need a second factor. */
  totpUri: string | null;
  totpSecret: string | null;
}

/** Thrown for refused logins; `status` is the HTTP status, `retryAfterMs` set for lockouts. */
export class AuthError extends LinliError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
  }
}

const lockedError = (lockedUntil: number, now: number) =>
  new AuthError(
    'LOCKED',
    `账户已锁定，请 ${Math.ceil((lockedUntil - now) / 60_000)} 分钟后再试 (account locked after ${MAX_FAILURES} failures)`,
    429,
    lockedUntil - now,
  );

const BAD = () => new AuthError('BAD_CREDENTIALS', '用户名或密码错误 (wrong username or password)', 401);

/** Logins, sessions, first-admin setup and account creation, over the hub's database (any node). */
export class AuthService {
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  /** Failure counters for names that are not accounts: unknown names lock out like real ones. */
  private readonly nameFailures: NameFailures;
  /** Per node, in memory (see IpThrottle); the per-account lockout is in the database. */
  private readonly ips = new IpThrottle();
  /** Answers a second setup request on this node at once; across nodes a transaction lock decides. */
  private setupRunning = false;

  constructor(
    private readonly db: SqlDb,
    private readonly box: Sealer,
    private readonly audit: AuditSink,
    /** The file the hub wrote the setup token to; removed once the first administrator exists. */
    private readonly setupTokenFile: string | null = null,
  ) {
    this.users = new UserRepo(db);
    this.sessions = new SessionRepo(db);
    this.nameFailures = new NameFailures(db);
  }

  async login(
    req: { username: string; password: string; totp?: string; ip: string },
    now: number,
  ): Promise<{ token: string; user: User; expiresAt: number }> {
    const wait = this.ips.blocked(req.ip, now);
    if (wait !== null)
      throw new AuthError(
        'TOO_MANY_ATTEMPTS',
        '尝试次数过多，请稍后再试 (too many failed logins from this address)',
        429,
        wait,
      );
    const cred = await this.users.credentials(req.username);
    if (!cred) throw await this.refuseUnknownName(req, now);
    const { user } = cred;
    const who = { userId: user.id, role: user.role, action: 'login', targetType: 'user', targetId: user.id };
    const locked = (lockedUntil: number) => {
      this.audit.record({ ...who, outcome: 'denied', detail: 'locked' });
      return lockedError(lockedUntil, now);
    };
    if (cred.lockedUntil > now) throw locked(cred.lockedUntil);
    const fail = async (detail: string, err: AuthError) => {
      this.ips.fail(req.ip, now);
      // The database counts (one UPDATE), so failures on several nodes add up to one lockout.
      const failed = await this.users.recordFailure(user.id, MAX_FAILURES, now + LOCK_MS);
      this.audit.record({ ...who, outcome: 'denied', detail: `${detail}; failures ${failed}` });
      return err;
    };
    const totpInvalid = () => new AuthError('TOTP_INVALID', '动态口令错误或已使用 (wrong or reused code)', 401);
    if (!(await verifyPassword(req.password, cred.passwordHash))) throw await fail('bad password', BAD());
    if (user.disabled) {
      this.audit.record({ ...who, outcome: 'denied', detail: 'disabled' });
      throw new AuthError('DISABLED', '账户已停用 (account disabled)', 403);
    }
    let step: number | null = null;
    if (needsSecondFactor(user.role)) {
      if (!cred.totpSealed)
        throw new AuthError(
          'TOTP_NOT_ENROLLED',
          '该账户未绑定动态口令 (no second factor enrolled; ask an administrator)',
          403,
        );
      if (!req.totp) {
        this.audit.record({ ...who, outcome: 'denied', detail: 'second factor missing' });
        throw new AuthError('TOTP_REQUIRED', '请输入动态口令 (enter the 6-digit code from your authenticator)', 401);
      }
      step = totpStep(this.box.open(cred.totpSealed, `totp:${user.id}`), req.totp, now);
      if (step === null || step <= cred.totpLastStep) throw await fail('bad or reused second factor', totpInvalid());
    }
    // Conditional on the row as it is now, not as read above: another node may have locked the
    // account or accepted this very code in the meantime.
    if (!(await this.users.recordSuccess(user.id, step, now))) {
      const latest = await this.users.credentials(req.username);
      if (latest && latest.lockedUntil > now) throw locked(latest.lockedUntil);
      throw await fail('bad or reused second factor', totpInvalid());
    }
    const { token, session } = await this.sessions.create(user.id, 'interactive', now);
    this.audit.record({ ...who, outcome: 'ok' });
    return { token, user, expiresAt: session.expiresAt };
  }

  /**
   * A name that is not an account gets exactly what an account would: the same
   * scrypt work on a wrong password (a dummy hash), the same failure count in
   * the database, and after MAX_FAILURES the same LOCKED reply with the same
   * wait. Otherwise LOCKED-or-not would tell which names exist.
   */
  private async refuseUnknownName(req: { username: string; password: string; ip: string }, now: number) {
    const who = { userId: 'anonymous', role: '-', action: 'login', outcome: 'denied' as const };
    const lockedUntil = await this.nameFailures.lockedUntil(req.username);
    if (lockedUntil > now) {
      this.audit.record({ ...who, detail: 'unknown user; locked' });
      return lockedError(lockedUntil, now);
    }
    await verifyPassword(req.password, await dummyHash());
    this.ips.fail(req.ip, now);
    const failed = await this.nameFailures.recordFailure(req.username, MAX_FAILURES, now + LOCK_MS, now);
    this.audit.record({ ...who, detail: `unknown user; failures ${failed}` });
    return BAD();
  }

  /** The principal behind a bearer token, or null (unknown, expired, revoked, disabled user). */
  async authenticate(token: string, now: number): Promise<Principal | null> {
    if (!token || token.length > 256) return null;
    const session = await this.sessions.validate(token, now);
    if (!session) return null;
    const user = await this.users.byId(session.userId);
    if (!user || user.disabled) return null;
    return { user, session, viewer: { userId: user.id, role: user.role, areaCode: user.areaCode } };
  }

  async logout(p: Principal): Promise<void> {
    await this.sessions.revoke(p.session.tokenHash);
    this.audit.record({ userId: p.user.id, role: p.user.role, action: 'logout', outcome: 'ok' });
  }

  /**
   * At first start with no users: a one-time token, valid 24 h, that creates the first administrator.
   * Each start replaces the previous token (only its hash is kept, in the settings table).
   */
  async ensureSetupToken(now: number): Promise<string | null> {
    const token = newSecret();
    const issued = await this.db.tx(async (t) => {
      await t.lock(SETUP_LOCK);
      if ((await new UserRepo(t).count()) > 0) return false;
      await setSetting(t, SETUP_HASH, hashSecret(token));
      await setSetting(t, SETUP_EXPIRES, String(now + SETUP_TTL_MS));
      return true;
    });
    return issued ? token : null;
  }

  async setupFirstAdmin(
    req: { setupToken: string; username: string; displayName: string; password: string; areaCode: string },
    now: number,
  ): Promise<NewAccount> {
    const refused = () => {
      this.audit.record({ userId: 'anonymous', role: '-', action: 'setup', outcome: 'denied' });
      return new AuthError('SETUP_REFUSED', '设置令牌无效、已过期或已使用 (setup token invalid, expired or used)', 403);
    };
    if (!(await setupTokenValid(this.db, req.setupToken, now))) throw refused();
    if (this.setupRunning) throw new AuthError('SETUP_BUSY', '正在创建管理员，请稍候 (setup already in progress)', 409);
    this.setupRunning = true;
    let account: NewAccount | null;
    try {
      const prepared = await this.prepareAccount({
        username: req.username,
        displayName: req.displayName,
        role: 'admin',
        areaCode: req.areaCode,
        password: req.password,
      });
      // Check, create and spend under one lock: two nodes given the token at once make one administrator.
      account = await this.db.tx(async (t) => {
        await t.lock(SETUP_LOCK);
        if (!(await setupTokenValid(t, req.setupToken, now))) return null;
        const a = await this.insertAccount(t, prepared, null, now);
        // Spent only once an administrator exists, so a rejected (e.g. weak) password does not burn it.
        await setSetting(t, SETUP_HASH, '');
        return a;
      });
    } finally {
      this.setupRunning = false;
    }
    if (!account) throw refused();
    // Spent in the database; the copy on disk goes too, so a later reader of the folder finds nothing.
    const file = this.setupTokenFile ? removeSetupTokenFile(this.setupTokenFile) : { removed: true };
    this.audit.record({
      userId: account.user.id,
      role: 'admin',
      action: 'setup',
      targetType: 'user',
      targetId: account.user.id,
      outcome: 'ok',
      ...(file.removed ? {} : { detail: `setup token file not removed (${file.error})` }),
    });
    return account;
  }

  /** Creates an account; without a password one is generated. TOTP is enrolled for roles that need it. */
  async createAccount(
    req: { username: string; displayName: string; role: Role; areaCode: string; password?: string },
    createdBy: string | null,
    now: number,
  ): Promise<NewAccount> {
    const prepared = await this.prepareAccount(req);
    return this.db.tx((t) => this.insertAccount(t, prepared, createdBy, now));
  }

  /** A long session for a wall display; only for roles without personal data. */
  async issueDisplaySession(username: string, days: number, now: number): Promise<string> {
    const cred = await this.users.credentials(username);
    if (!cred) throw new AuthError('UNKNOWN_USER', `没有用户 ${username}`, 404);
    if (needsSecondFactor(cred.user.role))
      throw new AuthError(
        'ROLE_NOT_ALLOWED',
        `角色 ${cred.user.role} 可查看个人信息，不能用于大屏 (use a view-only role for wall displays)`,
        400,
      );
    return (await this.sessions.create(cred.user.id, 'display', now, days * 24 * 3600_000)).token;
  }

  /** Everything about a new account that needs no transaction: checks, the slow password hash, the TOTP secret. */
  private async prepareAccount(req: {
    username: string;
    displayName: string;
    role: Role;
    areaCode: string;
    password?: string;
  }): Promise<Prepared> {
    if (!new RegExp(USERNAME_PATTERN).test(req.username))
      throw new AuthError('INVALID_USERNAME', `用户名须匹配 ${USERNAME_PATTERN}`, 400);
    if (await this.users.credentials(req.username)) throw taken(req.username);
    const password = req.password ?? randomPassword();
    const problem = passwordProblem(password);
    if (problem) throw new AuthError('WEAK_PASSWORD', problem, 400);
    return {
      ...req,
      password,
      passwordHash: await hashPassword(password),
      secret: enrolsSecondFactor(req.role) ? newTotpSecret() : null,
    };
  }

  private async insertAccount(t: SqlExec, p: Prepared, createdBy: string | null, now: number): Promise<NewAccount> {
    await t.lock(`user:${p.username}`);
    const users = new UserRepo(t);
    // Again under the lock: another request (or node) may have taken the name while the password was hashed.
    if (await users.credentials(p.username)) throw taken(p.username);
    const user = await users.create({
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      areaCode: p.areaCode,
      passwordHash: p.passwordHash,
      totpSealed: null,
      createdBy,
      now,
    });
    // The seal binds the user id as associated data, so it is written after the row exists.
    if (p.secret) await users.setTotp(user.id, this.box.seal(p.secret, `totp:${user.id}`));
    return {
      user: { ...user, hasTotp: p.secret !== null },
      password: p.password,
      totpSecret: p.secret,
      totpUri: p.secret ? totpUri(p.secret, p.username) : null,
    };
  }
}

interface Prepared {
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  password: string;
  passwordHash: string;
  secret: string | null;
}

const SETUP_LOCK = 'linli:setup';

const taken = (username: string) => new AuthError('USERNAME_TAKEN', `用户名 ${username} 已存在`, 409);

/** No users yet, and this is the current setup token, unspent and unexpired. */
async function setupTokenValid(db: SqlExec, token: string, now: number): Promise<boolean> {
  const hash = await getSetting(db, SETUP_HASH);
  const expires = Number((await getSetting(db, SETUP_EXPIRES)) ?? 0);
  if ((await new UserRepo(db).count()) > 0 || !hash || expires < now) return false;
  return secretMatches(token, hash);
}

async function getSetting(db: SqlExec, key: string): Promise<string | null> {
  return (await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value ?? null;
}

async function setSetting(db: SqlExec, key: string, value: string): Promise<void> {
  await db.run(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [key, value],
  );
}
