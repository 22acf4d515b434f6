import type { Role } from '@linli/contract';

export type AuditOutcome = 'ok' | 'denied' | 'error';

/** Values only: no nested objects, so the canonical form is simple and nothing large or personal hides in it. */
export type AuditDetail = Record<string, string | number | boolean | null>;

/** What a caller records. `time` defaults to now. */
export interface AuditInput {
  userId: string;
  role: Role | 'system';
  action: string;
  target: { type: string; id: string };
  outcome: AuditOutcome;
  /** The area the target lies in (grid or larger), so auditors scoped to an area see its entries. */
  areaCode?: string | null;
  /** Never personal data: ids, counts, codes. Values that look like ID or phone numbers are refused. */
  detail?: AuditDetail;
  time?: number;
}

export interface AuditEntry {
  seq: number;
  /** ms since epoch */
  time: number;
  userId: string;
  role: string;
  action: string;
  target: { type: string; id: string };
  outcome: AuditOutcome;
  areaCode: string | null;
  detail: AuditDetail;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  userId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  /** Inclusive, ms since epoch. */
  from?: number;
  /** Exclusive, ms since epoch. */
  to?: number;
  /** Entries with seq greater than this (keyset paging). */
  afterSeq?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `afterSeq` for the next page; null when this was the last one. */
  nextAfterSeq: number | null;
}

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBrokenSeq: number; reason: string };
