import type Database from 'better-sqlite3';
import { ulid } from 'ulidx';
import { type Role, ROLES, scopePrefix } from './roles.js';

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

/** Hub users. Passwords only as scrypt hashes; TOTP seeds sealed with the hub's key. */
export class UserRepo {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        area_code TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        totp_sealed TEXT,
        totp_last_step INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        created_by TEXT
      );
    `);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  create(u: {
    username: string;
    displayName: string;
    role: Role;
    areaCode: string;
    passwordHash: string;
    totpSealed: string | null;
    createdBy: string | null;
    now: number;
  }): User {
    if (!ROLES.includes(u.role)) throw new Error(`unknown role ${u.role}`);
    scopePrefix(u.areaCode); // throws on a malformed code
    const id = ulid(u.now);
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, area_code, password_hash, totp_sealed, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, u.username, u.displayName, u.role, u.areaCode, u.passwordHash, u.totpSealed, u.now, u.createdBy);
    return this.byId(id)!;
  }

  byId(id: string): User | null {
    const r = this.db.prepare<[string], Row>('SELECT * FROM users WHERE id = ?').get(id);
    return r ? toUser(r) : null;
  }

  credentials(username: string): Credentials | null {
    const r = this.db.prepare<[string], Row>('SELECT * FROM users WHERE username = ?').get(username);
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

  list(): User[] {
    return this.db.prepare<[], Row>('SELECT * FROM users ORDER BY username').all().map(toUser);
  }

  recordFailure(id: string, lockUntil: number | null): number {
    this.db
      .prepare('UPDATE users SET failed = failed + 1, locked_until = coalesce(?, locked_until) WHERE id = ?')
      .run(lockUntil, id);
    return (this.db.prepare('SELECT failed FROM users WHERE id = ?').get(id) as { failed: number }).failed;
  }

  recordSuccess(id: string, totpStep: number | null): void {
    this.db
      .prepare(
        'UPDATE users SET failed = 0, locked_until = 0, totp_last_step = coalesce(?, totp_last_step) WHERE id = ?',
      )
      .run(totpStep, id);
  }

  setTotp(id: string, sealed: string): void {
    this.db.prepare('UPDATE users SET totp_sealed = ?, totp_last_step = 0 WHERE id = ?').run(sealed, id);
  }

  setDisabled(id: string, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
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
