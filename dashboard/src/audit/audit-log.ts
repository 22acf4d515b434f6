import type Database from 'better-sqlite3';
import { type Viewer, can, scopePrefix } from '../auth/roles.js';
import { AccessDenied } from '../privacy/errors.js';
import { GENESIS_HASH, entryHash } from './chain.js';
import { migrateAudit } from './schema.js';
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
}

/** Append-only, hash-chained record of who did what to which target, with what outcome. */
export class AuditLog {
  private readonly key: Buffer | null;
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    options: AuditLogOptions = {},
  ) {
    this.key = options.hmacKey ?? null;
    migrateAudit(db);
    this.q = {
      head: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (seq, time, user_id, role, action, target_type, target_id, outcome, area_code, detail, prev_hash, hash)
         VALUES (@seq, @time, @user_id, @role, @action, @target_type, @target_id, @outcome, @area_code, @detail, @prev_hash, @hash)`,
      ),
      all: db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq'),
    };
  }

  /** Appends one entry. Joins the caller's transaction if there is one, so an access and its record commit together. */
  append(input: AuditInput): AuditEntry {
    const detail = input.detail ?? {};
    for (const [k, v] of Object.entries(detail)) {
      if (typeof v === 'string' && LOOKS_PERSONAL.test(v))
        throw new Error(`audit detail "${k}" looks like an ID or phone number; audit entries hold no personal data`);
    }
    const run = () => {
      const head = this.q.head.get();
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
      this.q.insert.run(toRow(entry));
      return entry;
    };
    return this.db.inTransaction ? run() : this.db.transaction(run).immediate();
  }

  /**
   * Walks the whole chain and reports the first entry that does not hold:
   * a gap in seq (a deleted row), a prevHash that is not the previous hash,
   * or a hash that does not match the entry (an edited row).
   */
  verify(): VerifyResult {
    let prev = GENESIS_HASH;
    let expected = 1;
    let n = 0;
    for (const row of this.q.all.iterate()) {
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
    return { ok: true, entries: n, headHash: prev };
  }

  /** For auditors: entries inside their area, newest last, keyset-paged. Reading the log is itself audited. */
  list(viewer: Viewer, filter: AuditFilter = {}): AuditPage {
    if (!can(viewer.role, 'audit_read')) {
      this.append({
        ...who(viewer),
        action: 'audit.list',
        target: { type: 'audit_log', id: 'audit_log' },
        outcome: 'denied',
      });
      throw new AccessDenied('reading the audit log needs the audit_read permission');
    }
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const where: string[] = ['seq > @afterSeq'];
    const p: Record<string, unknown> = { afterSeq: filter.afterSeq ?? 0, limit: limit + 1 };
    const eq = (col: string, key: string, v: unknown) => {
      if (v !== undefined) {
        where.push(`${col} = @${key}`);
        p[key] = v;
      }
    };
    eq('user_id', 'userId', filter.userId);
    eq('action', 'action', filter.action);
    eq('target_type', 'targetType', filter.targetType);
    eq('target_id', 'targetId', filter.targetId);
    eq('outcome', 'outcome', filter.outcome);
    if (filter.from !== undefined) {
      where.push('time >= @from');
      p.from = filter.from;
    }
    if (filter.to !== undefined) {
      where.push('time < @to');
      p.to = filter.to;
    }
    // Scope in SQL so paging counts only visible rows. Entries without an area are city-wide.
    const cityWide = /^\d{4}00$/.test(viewer.areaCode);
    where.push(cityWide ? '(area_code IS NULL OR area_code LIKE @scope)' : 'area_code LIKE @scope');
    p.scope = `${scopePrefix(viewer.areaCode)}%`;
    const rows = this.db
      .prepare<Record<string, unknown>, Row>(
        `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`,
      )
      .all(p);
    const entries = rows.slice(0, limit).map(fromRow);
    this.append({
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
