import { createHash, createHmac } from 'node:crypto';
import type { AuditDetail, AuditEntry } from './types.js';

/** The chain's start: the first entry's prevHash. */
export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditEntry, 'hash' | 'prevHash'>;

/**
 * One fixed serialisation: a JSON array in a fixed field order, detail keys
 * sorted, so the same entry always hashes the same whatever object key order
 * or SQLite column order produced it.
 */
export function canonical(e: Hashed): string {
  const detail: AuditDetail = {};
  for (const k of Object.keys(e.detail).sort()) detail[k] = e.detail[k]!;
  return JSON.stringify([
    e.seq,
    e.time,
    e.userId,
    e.role,
    e.action,
    e.target.type,
    e.target.id,
    e.outcome,
    e.areaCode,
    detail,
  ]);
}

/** SHA-256 over prev hash and entry; an HMAC when a key is given, so the chain cannot be recomputed without it. */
export function entryHash(e: Hashed, prevHash: string, key: Buffer | null): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(prevHash).update('\n').update(canonical(e)).digest('hex');
}
