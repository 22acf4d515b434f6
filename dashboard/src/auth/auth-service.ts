import { LinliError } from '@linli/contract';
import type Database from 'better-sqlite3';
import { hashSecret, newSecret, secretMatches } from '../secrets.js';
import type { AuditSink } from './audit-sink.js';
import { IpThrottle } from './ip-throttle.js';
import { dummyHash, hashPassword, passwordProblem, randomPassword, verifyPassword } from './passwords.js';
import { needsSecondFactor, type Role, type Viewer } from './roles.js';

import { type Session, SessionRepo } from './sessions.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';
import { type User, USERNAME_PATTERN, UserRepo } from './users.js';

/** Five wrong answers in a row lock the account for 15 minutes. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const SETUP_TTL_MS = 24 * 3600_000;
const SETUP_HASH = 'setup_token_hash';
const SETUP_EXPIRES = 'setup_token_expires';

export interface Settings {
  getSetting(key: string): string | null;
  setSetting(key: string, value: string): void;
}

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
    code: string,
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
  }
}

const BAD = () => new AuthError('BAD_CREDENTIALS', '用户名或密码错误 (wrong username or password)', 401);

/** Logins, sessions, first-admin setup and account creation. */
export class AuthService {
  readonly users: UserRepo;
  readonly sessions: SessionRepo;
  private readonly ips = new IpThrottle();
  private setupRunning = false;

  constructor(
    db: Database.Database,
    private readonly settings: Settings,
    private readonly box: Sealer,
    private readonly audit: AuditSink,
  ) {
    this.users = new UserRepo(db);
    this.sessions = new SessionRepo(db);
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
    const cred = this.users.credentials(req.username);
    if (!cred) {
      await verifyPassword(req.password, await dummyHash());
      this.ips.fail(req.ip, now);
      this.audit.record({ userId: 'anonymous', role: '-', action: 'login', outcome: 'denied', detail: 'unknown user' });
      throw BAD();
    }
    const { user } = cred;
    const who = { userId: user.id, role: user.role, action: 'login', targetType: 'user', targetId: user.id };
    if (cred.lockedUntil > now) {
      this.audit.record({ ...who, outcome: 'denied', detail: 'locked' });
      throw new AuthError(
        'LOCKED',
        `账户已锁定，请 ${Math.ceil((cred.lockedUntil - now) / 60_000)} 分钟后再试 (account locked after ${MAX_FAILURES} failures)`,
        429,
        cred.lockedUntil - now,
      );
    }
    const fail = (detail: string, err: AuthError) => {
      this.ips.fail(req.ip, now);
      const failed = this.users.recordFailure(user.id, cred.failed + 1 >= MAX_FAILURES ? now + LOCK_MS : null);
      this.audit.record({ ...who, outcome: 'denied', detail: `${detail}; failures ${failed}` });
      return err;
    };
    if (!(await verifyPassword(req.password, cred.passwordHash))) throw fail('bad password', BAD());
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
      if (step === null || step <= cred.totpLastStep)
        throw fail(
          'bad or reused second factor',
          new AuthError('TOTP_INVALID', '动态口令错误或已使用 (wrong or reused code)', 401),
        );
    }
    this.users.recordSuccess(user.id, step);
    const { token, session } = this.sessions.create(user.id, 'interactive', now);
    this.audit.record({ ...who, outcome: 'ok' });
    return { token, user, expiresAt: session.expiresAt };
  }

  /** The principal behind a bearer token, or null (unknown, expired, revoked, disabled user). */
  authenticate(token: string, now: number): Principal | null {
    if (!token || token.length > 256) return null;
    const session = this.sessions.validate(token, now);
    if (!session) return null;
    const user = this.users.byId(session.userId);
    if (!user || user.disabled) return null;
    return { user, session, viewer: { userId: user.id, role: user.role, areaCode: user.areaCode } };
  }

  logout(p: Principal): void {
    this.sessions.revoke(p.session.tokenHash);
    this.audit.record({ userId: p.user.id, role: p.user.role, action: 'logout', outcome: 'ok' });
  }

  /** At first start with no users: a one-time token, valid 24 h, that creates the first administrator. */
  ensureSetupToken(now: number): string | null {
    if (this.users.count() > 0) return null;
    const token = newSecret();
    this.settings.setSetting(SETUP_HASH, hashSecret(token));
    this.settings.setSetting(SETUP_EXPIRES, String(now + SETUP_TTL_MS));
    return token;
  }

  async setupFirstAdmin(
    req: { setupToken: string; username: string; displayName: string; password: string; areaCode: string },
    now: number,
  ): Promise<NewAccount> {
    const hash = this.settings.getSetting(SETUP_HASH);
    const expires = Number(this.settings.getSetting(SETUP_EXPIRES) ?? 0);
    if (this.users.count() > 0 || !hash || expires < now || !secretMatches(req.setupToken, hash)) {
      this.audit.record({ userId: 'anonymous', role: '-', action: 'setup', outcome: 'denied' });
      throw new AuthError('SETUP_REFUSED', '设置令牌无效、已过期或已使用 (setup token invalid, expired or used)', 403);
    }
    if (this.setupRunning) throw new AuthError('SETUP_BUSY', '正在创建管理员，请稍候 (setup already in progress)', 409);
    this.setupRunning = true;
    let account: NewAccount;
    try {
      account = await this.createAccount(
        {
          username: req.username,
          displayName: req.displayName,
          role: 'admin',
          areaCode: req.areaCode,
          password: req.password,
        },
        null,
        now,
      );
    } finally {
      this.setupRunning = false;
    }
    // Spent only once an administrator exists, so a rejected (e.g. weak) password does not burn it.
    this.settings.setSetting(SETUP_HASH, '');
    this.audit.record({
      userId: account.user.id,
      role: 'admin',
      action: 'setup',
      targetType: 'user',
      targetId: account.user.id,
      outcome: 'ok',
    });
    return account;
  }

  /** Creates an account; without a password one is generated. TOTP is enrolled for roles that need it. */
  async createAccount(
    req: { username: string; displayName: string; role: Role; areaCode: string; password?: string },
    createdBy: string | null,
    now: number,
  ): Promise<NewAccount> {
    if (!new RegExp(USERNAME_PATTERN).test(req.username))
      throw new AuthError('INVALID_USERNAME', `用户名须匹配 ${USERNAME_PATTERN}`, 400);
    if (this.users.credentials(req.username))
      throw new AuthError('USERNAME_TAKEN', `用户名 ${req.username} 已存在`, 409);
    const password = req.password ?? randomPassword();
    const problem = passwordProblem(password);
    if (problem) throw new AuthError('WEAK_PASSWORD', problem, 400);
    const secret = needsSecondFactor(req.role) ? newTotpSecret() : null;
    const user = this.users.create({
      username: req.username,
      displayName: req.displayName,
      role: req.role,
      areaCode: req.areaCode,
      passwordHash: await hashPassword(password),
      totpSealed: null,
      createdBy,
      now,
    });
    if (secret) this.sealTotp(user.id, secret);
    return {
      user: { ...user, hasTotp: secret !== null },
      password,
      totpSecret: secret,
      totpUri: secret ? totpUri(secret, req.username) : null,
    };
  }

  /** A long session for a wall display; only for roles without personal data. */
  issueDisplaySession(username: string, days: number, now: number): string {
    const cred = this.users.credentials(username);
    if (!cred) throw new AuthError('UNKNOWN_USER', `没有用户 ${username}`, 404);
    if (needsSecondFactor(cred.user.role))
      throw new AuthError(
        'ROLE_NOT_ALLOWED',
        `角色 ${cred.user.role} 可查看个人信息，不能用于大屏 (use a view-only role for wall displays)`,
        400,
      );
    return this.sessions.create(cred.user.id, 'display', now, days * 24 * 3600_000).token;
  }

  private sealTotp(userId: string, secret: string): void {
    const sealed = this.box.seal(secret, `totp:${userId}`);
    // The seal binds the user id as associated data, so it is written after the row exists.
    this.users.setTotp(userId, sealed);
  }
}
