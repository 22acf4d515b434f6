import { can, scopePrefix, type Viewer } from '@linli/contract';
import { UserRepo } from '../auth/users.js';
import { AccessDenied } from '../privacy/errors.js';
import type { SqlDb, SqlValue } from '../store/sql/sql-db.js';
import type { AuditLog } from './audit-log.js';

/** The audit action of unmasked reads (people/unmask-gate.ts); repeated here so audit does not import people. */
const UNMASK_ACTION = 'people.unmask';
const DEFAULT_SINCE_MS = 30 * 24 * 3600_000;

export interface UnmaskedReadEntry {
  seq: number;
  time: number;
  userId: string;
  role: string;
  residentId: string;
  areaCode: string | null;
  outcome: 'ok' | 'denied' | 'error';
  /** The stated reason (UNMASK_REASONS), null when none was given. */
  reason: string | null;
  /** Why it was refused (not_granted, step_up_required, rate_limited…); null for a read. */
  refused: string | null;
}

export interface UnmaskedByUser {
  userId: string;
  username: string | null;
  displayName: string | null;
  reads: number;
  refused: number;
}

interface Row {
  seq: number;
  time: number;
  user_id: string;
  role: string;
  target_id: string;
  area_code: string | null;
  outcome: UnmaskedReadEntry['outcome'];
  detail: string;
}

export interface UnmaskReportFilter {
  userId?: string;
  /** Inclusive, ms since epoch; default 30 days ago. */
  since?: number;
  /** Exclusive, ms since epoch; default now. */
  until?: number;
  /** Default 500, at most 5000. */
  limit?: number;
}

/**
 * For auditors: who read which records unmasked, when and why, and who was
 * refused — straight from the hash-chained audit log, inside the auditor's
 * area. Reading this report is itself audited.
 */
export class UnmaskReport {
  constructor(
    private readonly db: SqlDb,
    private readonly audit: AuditLog,
  ) {}

  list(
    viewer: Viewer,
    filter: UnmaskReportFilter,
    now: number,
  ): Promise<{ entries: UnmaskedReadEntry[]; byUser: UnmaskedByUser[]; truncated: boolean }> {
    return report(this.db, this.audit, viewer, filter, now);
  }
}

async function report(
  db: SqlDb,
  audit: AuditLog,
  viewer: Viewer,
  filter: UnmaskReportFilter,
  now: number,
): Promise<{ entries: UnmaskedReadEntry[]; byUser: UnmaskedByUser[]; truncated: boolean }> {
  const who = { userId: viewer.userId, role: viewer.role, action: 'audit.unmasked' };
  const target = { type: 'audit_log', id: UNMASK_ACTION };
  if (!can(viewer.role, 'audit_read')) {
    await audit.append({ ...who, target, outcome: 'denied', areaCode: viewer.areaCode });
    throw new AccessDenied('reading the audit log needs the audit_read permission');
  }
  await audit.flush();
  const limit = Math.min(Math.max(filter.limit ?? 500, 1), 5000);
  const where = ['action = ?', 'time >= ?', 'time < ?'];
  const p: SqlValue[] = [UNMASK_ACTION, filter.since ?? now - DEFAULT_SINCE_MS, filter.until ?? now + 1];
  if (filter.userId !== undefined) {
    where.push('user_id = ?');
    p.push(filter.userId);
  }
  const cityWide = /^\d{4}00$/.test(viewer.areaCode);
  where.push(cityWide ? '(area_code IS NULL OR area_code LIKE ?)' : 'area_code LIKE ?');
  p.push(`${scopePrefix(viewer.areaCode)}%`, limit + 1);
  const rows = await db.all<Row>(
    `SELECT seq, time, user_id, role, target_id, area_code, outcome, detail FROM audit_log
     WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
    p,
  );
  const entries = rows.slice(0, limit).map(toEntry);
  const users = new UserRepo(db);
  const byUser = new Map<string, UnmaskedByUser>();
  for (const e of entries) {
    let u = byUser.get(e.userId);
    if (!u) {
      const user = await users.byId(e.userId);
      u = {
        userId: e.userId,
        username: user?.username ?? null,
        displayName: user?.displayName ?? null,
        reads: 0,
        refused: 0,
      };
      byUser.set(e.userId, u);
    }
    if (e.outcome === 'ok') u.reads++;
    else u.refused++;
  }
  await audit.append({
    ...who,
    target,
    outcome: 'ok',
    areaCode: viewer.areaCode,
    detail: { returned: entries.length, user: filter.userId ?? null },
  });
  return { entries, byUser: [...byUser.values()], truncated: rows.length > limit };
}

function toEntry(r: Row): UnmaskedReadEntry {
  const d = JSON.parse(r.detail) as Record<string, unknown>;
  return {
    seq: Number(r.seq),
    time: Number(r.time),
    userId: r.user_id,
    role: r.role,
    residentId: r.target_id,
    areaCode: r.area_code,
    outcome: r.outcome,
    reason: typeof d.reason === 'string' ? d.reason : null,
    refused: typeof d.refused === 'string' ? d.refused : null,
  };
}
