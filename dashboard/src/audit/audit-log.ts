import { can, InternalError, scopePrefix, type Viewer } from '@linli/contract';
import { AccessDenied } from '../privacy/errors.js';
import { GENESIS_HASH, entryHash } from './chain.js';
import type { SqlDb, SqlExec, SqlValue } from '../store/sql/sql-db.js';
import type { AuditDetail, AuditEntry, AuditFilter, AuditInput, AuditPage, VerifyResult } from './types.js';

interface Row {
  seq: number;
  time: number;
  user_id: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string;
  outcome: AuditEntry['outcome'];
  area_code: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

// A safety net, not the main defence: callers pass ids and counts, never people.
const LOOKS_PERSONAL = /\d{17}[\dXx]|(?<!\d)1[3-9]\d{9}(?!\d)/;

export interface AuditLogOptions {
  /**
   * HMAC key for the chain (use `FieldCrypto.auditKey`). With it, someone who
   * can write the database but not read the key file cannot rewrite history
   * and recompute the chain. Without it the chain is plain SHA-256 and only
   * catches edits by someone who does not bother to recompute.
   */
  hmacKey?: Buffer | null;
  /** Told when a queued entry (`enqueue`) could not be written after retries. */
  onWriteError?: (err: unknown, entry: AuditInput) => void;
}

/** The advisory lock every append takes: hub nodes sharing one database extend one chain. */
export const AUDIT_CHAIN_LOCK = 'audit-chain';
const WRITE_ATTEMPTS = 3;
const VERIFY_PAGE = 1000;
const COLUMNS = 'seq, time, user_id, role, action, target_type, target_id, outcome, area_code, detail, prev_hash, hash';

/** Append-only, hash-chained record of who did what to which target, with what outcome. */
export class AuditLog {
  private readonly key: Buffer | null;
  private readonly onWriteError: (err: unknown, entry: AuditInput) => void;
  /** The tail of the ordered writer behind `enqueue`: entries are written one after another, in call order. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly db: SqlDb,
    options: AuditLogOptions = {},
  ) {
    this.key = options.hmacKey ?? null;
    this.onWriteError =
      options.onWriteError ??
      ((err, e) =>
        console.error(`audit entry not written (${e.action} ${e.target.type}:${e.target.id}): ${String(err)}`));
  }

  /**
   * Appends one entry and resolves with it. Given `t`, it joins that
   * transaction, so an access and its record commit together; otherwise it
   * takes its own. Either way the chain's head is read under the
   * 'audit-chain' lock, so concurrent appenders (other hub nodes) never fork it.
   */
  async append(input: AuditInput, t?: SqlExec): Promise<AuditEntry> {
    const detail = checkedDetail(input);
    if (t) return this.appendIn(t, input, detail);
    return this.db.tx((tx) => this.appendIn(tx, input, detail));
  }

  /**
   * Fire-and-forget for synchronous callers (the AuditSink): checks the entry
   * now (throws for personal data, as `append` does) and writes it through an
   * ordered queue; a failed write is retried, then reported to `onWriteError`.
   * `flush()` waits until everything queued so far is written.
   */
  enqueue(input: AuditInput): void {
    const detail = checkedDetail(input);
    const time = input.time ?? Date.now();
    const entry: AuditInput = { ...input, detail, time };
    this.queued++;
    this.queue = this.queue.then(async () => {
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await this.db.tx((tx) => this.appendIn(tx, entry, detail));
            return;
          } catch (err) {
            if (attempt >= WRITE_ATTEMPTS) throw err;
            await new Promise((r) => setTimeout(r, 50 * attempt));
          }
        }
      } catch (err) {
        this.onWriteError(err, entry);
      } finally {
        this.queued--;
      }
    });
  }

  /** Resolves once every entry queued so far is written (or reported as failed). */
  async flush(): Promise<void> {
    while (this.queued > 0) await this.queue;
  }

  private async appendIn(t: SqlExec, input: AuditInput, detail: AuditDetail): Promise<AuditEntry> {
    await t.lock(AUDIT_CHAIN_LOCK);
    const head = await t.get<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    const base = {
      seq: (head?.seq ?? 0) + 1,
      time: input.time ?? Date.now(),
      userId: input.userId,
      role: input.role,
      action: input.action,
      target: { ...input.target },
      outcome: input.outcome,
      areaCode: input.areaCode ?? null,
      detail,
    };
    const prevHash = head?.hash ?? GENESIS_HASH;
    const entry: AuditEntry = { ...base, prevHash, hash: entryHash(base, prevHash, this.key) };
    const r = toRow(entry);
    await t.run(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      r.seq,
      r.time,
      r.user_id,
      r.role,
      r.action,
      r.target_type,
      r.target_id,
      r.outcome,
      r.area_code,
      r.detail,
      r.prev_hash,
      r.hash,
    ]);
    return entry;
  }

  /**
   * Walks the whole chain and reports the first entry that does not hold:
   * a gap in seq (a deleted row), a prevHash that is not the previous hash,
   * or a hash that does not match the entry (an edited row). Queued entries
   * are written first.
   */
  async verify(): Promise<VerifyResult> {
    await this.flush();
    let prev = GENESIS_HASH;
    let expected = 1;
    let n = 0;
    let after = 0;
    for (;;) {
      const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, [
        after,
        VERIFY_PAGE,
      ]);
      for (const row of rows) {
        const e = fromRow(row);
        if (e.seq !== expected)
          return { ok: false, entries: n, firstBrokenSeq: expected, reason: `entry ${expected} is missing` };
        if (e.prevHash !== prev)
          return { ok: false, entries: n, firstBrokenSeq: e.seq, reason: 'does not link to the previous entry' };
        const { hash, prevHash, ...rest } = e;
        if (entryHash(rest, prevHash, this.key) !== hash)
          return { ok: false, entries: n, firstBrokenSeq: e.seq, reason: 'content does not match its hash' };
        prev = hash;
        expected++;
        n++;
      }
      if (rows.length < VERIFY_PAGE) break;
      after = rows[rows.length - 1]!.seq;
    }
    return { ok: true, entries: n, headHash: prev };
  }

  /** For auditors: entries inside their area, newest last, keyset-paged. Reading the log is itself audited. */
  async list(viewer: Viewer, filter: AuditFilter = {}): Promise<AuditPage> {
    if (!can(viewer.role, 'audit_read')) {
      await this.append({
        ...who(viewer),
        action: 'audit.list',
        target: { type: 'audit_log', id: 'audit_log' },
        outcome: 'denied',
      });
      throw new AccessDenied('reading the audit log needs the audit_read permission');
    }
    await this.flush();
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const where: string[] = ['seq > ?'];
    const p: SqlValue[] = [filter.afterSeq ?? 0];
    const eq = (col: string, v: string | undefined) => {
      if (v !== undefined) {
        where.push(`${col} = ?`);
        p.push(v);
      }
    };
    eq('user_id', filter.userId);
    eq('action', filter.action);
    eq('target_type', filter.targetType);
    eq('target_id', filter.targetId);
    eq('outcome', filter.outcome);
    if (filter.from !== undefined) {
      where.push('time >= ?');
      p.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('time < ?');
      p.push(filter.to);
    }
    // Scope in SQL so paging counts only visible rows. Entries without an area are city-wide.
    const cityWide = /^\d{4}00$/.test(viewer.areaCode);
    where.push(cityWide ? '(area_code IS NULL OR area_code LIKE ?)' : 'area_code LIKE ?');
    p.push(`${scopePrefix(viewer.areaCode)}%`);
    p.push(limit + 1);
    const rows = await this.db.all<Row>(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      p,
    );
    const entries = rows.slice(0, limit).map(fromRow);
    await this.append({
      ...who(viewer),
      action: 'audit.list',
      target: { type: 'audit_log', id: 'audit_log' },
      outcome: 'ok',
      areaCode: viewer.areaCode,
      detail: { returned: entries.length },
    });
    return { entries, nextAfterSeq: rows.length > limit ? entries[entries.length - 1]!.seq : null };
  }
}

/** Refuses details that look like ID or phone numbers: audit entries hold no personal data. */
function checkedDetail(input: AuditInput): AuditDetail {
  const detail = input.detail ?? {};
  for (const [k, v] of Object.entries(detail)) {
    if (typeof v === 'string' && LOOKS_PERSONAL.test(v))
      throw new InternalError(
        `audit detail "${k}" looks like an ID or phone number; audit entries hold no personal data`,
      );
  }
  return detail;
}

function who(v: Viewer) {
  return { userId: v.userId, role: v.role };
}

function toRow(e: AuditEntry): Row {
  return {
    seq: e.seq,
    time: e.time,
    user_id: e.userId,
    role: e.role,
    action: e.action,
    target_type: e.target.type,
    target_id: e.target.id,
    outcome: e.outcome,
    area_code: e.areaCode,
    detail: JSON.stringify(e.detail),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

function fromRow(r: Row): AuditEntry {
  return {
    seq: r.seq,
    time: r.time,
    userId: r.user_id,
    role: r.role,
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    outcome: r.outcome,
    areaCode: r.area_code,
    detail: JSON.parse(r.detail) as AuditDetail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
