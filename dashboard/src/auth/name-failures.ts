import { hashSecret } from '../secrets.js';
import type { SqlExec } from '../store/sql/sql-db.js';

/** A name nobody has tried for this long is forgotten (the table stays bounded under spraying). */
export const NAME_FAILURES_KEEP_MS = 30 * 24 * 3600_000;

/**
 * Lockout counters for login names that are not accounts (migration
 * 012-login-failures). They follow exactly the rule of an account's counters
 * in UserRepo (the `maxFailures`-th failure in a row locks, and every failure
 * after that locks again), so five wrong tries at a name answer LOCKED whether
 * the name exists or not. In the database, like the account counters, so hub
 * nodes agree.
 */
export class NameFailures {
  constructor(private readonly db: SqlExec) {}

  /** Until when the name is locked (0: not locked). */
  async lockedUntil(username: string): Promise<number> {
    const r = await this.db.get<{ locked_until: number | string }>(
      'SELECT locked_until FROM login_failures WHERE name_hash = ?',
      [key(username)],
    );
    return Number(r?.locked_until ?? 0);
  }

  /** Counts one failure (one statement, so nodes failing at once are not lost); returns the new count. */
  async recordFailure(username: string, maxFailures: number, lockUntil: number, now: number): Promise<number> {
    const k = key(username);
    await this.db.run(
      `INSERT INTO login_failures (name_hash, failed, locked_until, last_at)
       VALUES (?, 1, CASE WHEN 1 >= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE 0 END, CAST(? AS BIGINT))
       ON CONFLICT (name_hash) DO UPDATE SET
         failed = login_failures.failed + 1,
         locked_until = CASE WHEN login_failures.failed + 1 >= CAST(? AS BIGINT) THEN CAST(? AS BIGINT)
                             ELSE login_failures.locked_until END,
         last_at = excluded.last_at`,
      [k, maxFailures, lockUntil, now, maxFailures, lockUntil],
    );
    await this.db.run('DELETE FROM login_failures WHERE last_at < CAST(? AS BIGINT)', [now - NAME_FAILURES_KEEP_MS]);
    const r = await this.db.get<{ failed: number | string }>('SELECT failed FROM login_failures WHERE name_hash = ?', [
      k,
    ]);
    return Number(r?.failed ?? 0);
  }
}

const key = (username: string) => hashSecret(`login-name:${username}`);
