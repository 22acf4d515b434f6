import { ulid } from 'ulidx';
import { type Role, ROLES, scopePrefix } from '@linli/contract';
import type { SqlExec } from '../store/sql/sql-db.js';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  disabled: boolean;
  hasTotp: boolean;
  createdAt: number;
}

interface Row {
  id: string;
  username: string;
  display_name: string;
  role: string;
  area_code: string;
  password_hash: string;
  totp_sealed: string | null;
  totp_last_step: number;
  failed: number;
  locked_until: number;
  disabled: number;
  created_at: number;
}

export interface Credentials {
  user: User;
  passwordHash: string;
  totpSealed: string | null;
  totpLastStep: number;
  failed: number;
  lockedUntil: number;
}

export const USERNAME_PATTERN = '^[a-z][a-z0-9._-]{2,31}$';

/**
 * Hub users. Passwords only as scrypt hashes; TOTP seeds sealed with the hub's
 * key. The table is created by migration 004-auth. The lockout counters and the
 * last accepted TOTP step are updated by conditional statements, so hub nodes
 * sharing one database agree on them. Works on the database or inside a
 * transaction (`new UserRepo(t)`).
 */
export class UserRepo {
  constructor(private readonly db: SqlExec) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n;
  }

  async create(u: {
    username: string;
    displayName: string;
    role: Role;
    areaCode: string;
    passwordHash: string;
    totpSealed: string | null;
    createdBy: string | null;
    now: number;
  }): Promise<User> {
    if (!ROLES.includes(u.role)) throw new Error(`unknown role ${u.role}`);
    scopePrefix(u.areaCode); // throws on a malformed code
    const id = ulid(u.now);
    await this.db.run(
      `INSERT INTO users (id, username, display_name, role, area_code, password_hash, totp_sealed, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, u.username, u.displayName, u.role, u.areaCode, u.passwordHash, u.totpSealed, u.now, u.createdBy],
    );
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<User | null> {
    const r = await this.db.get<Row>('SELECT * FROM users WHERE id = ?', [id]);
    return r ? toUser(r) : null;
  }

  async credentials(username: string): Promise<Credentials | null> {
    const r = await this.db.get<Row>('SELECT * FROM users WHERE username = ?', [username]);
    return r
      ? {
          user: toUser(r),
          passwordHash: r.password_hash,
          totpSealed: r.totp_sealed,
          totpLastStep: r.totp_last_step,
          failed: r.failed,
          lockedUntil: r.locked_until,
        }
      : null;
  }

  async list(): Promise<User[]> {
    return (await this.db.all<Row>('SELECT * FROM users ORDER BY username')).map(toUser);
  }

  /**
   * Counts a failed login and, when this failure is the `maxFailures`-th in a
   * row, locks the account until `lockUntil`. One UPDATE (the row lock orders
   * nodes failing at once), so the count is never lost; returns the new count.
   */
  async recordFailure(id: string, maxFailures: number, lockUntil: number): Promise<number> {
    await this.db.run(
      `UPDATE users SET failed = failed + 1,
         locked_until = CASE WHEN failed + 1 >= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE locked_until END
       WHERE id = ?`,
      [maxFailures, lockUntil, id],
    );
    return (await this.db.get<{ failed: number }>('SELECT failed FROM users WHERE id = ?', [id]))?.failed ?? 0;
  }

  /**
   * Clears the failure count after a good login and records the TOTP step used.
   * Conditional: false (nothing written) when the account is locked at `now`
   * (another node's failures locked it meanwhile) or when `totpStep` is not
   * newer than the last accepted one (the same code replayed, perhaps on
   * another node at the same moment).
   */
  async recordSuccess(id: string, totpStep: number | null, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE users SET failed = 0, locked_until = 0, totp_last_step = coalesce(CAST(? AS BIGINT), totp_last_step)
       WHERE id = ? AND locked_until <= CAST(? AS BIGINT)
         AND totp_last_step < coalesce(CAST(? AS BIGINT), totp_last_step + 1)`,
      [totpStep, id, now, totpStep],
    );
    return r.changes === 1;
  }

  async setTotp(id: string, sealed: string): Promise<void> {
    await this.db.run('UPDATE users SET totp_sealed = ?, totp_last_step = 0 WHERE id = ?', [sealed, id]);
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, id]);
  }
}

function toUser(r: Row): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    areaCode: r.area_code,
    disabled: r.disabled === 1,
    hasTotp: r.totp_sealed !== null,
    createdAt: r.created_at,
  };
}
