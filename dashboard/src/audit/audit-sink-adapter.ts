import { type Role, ROLES } from '@linli/contract';
import type { AuditEntry as SinkEntry, AuditSink } from '../auth/audit-sink.js';
import type { AuditLog } from './audit-log.js';

/**
 * The auth and command paths speak the small, synchronous AuditSink shape;
 * this queues it into the hash-chained log's ordered writer (`AuditLog.enqueue`):
 * callers do not wait, entries are written in call order, none is dropped
 * silently (a failed write is retried, then logged), and `AuditLog.flush()`
 * waits for them.
 */
export function auditSink(log: AuditLog): AuditSink {
  return {
    record(e: SinkEntry): void {
      log.enqueue({
        userId: e.userId,
        role: (ROLES as readonly string[]).includes(e.role) ? (e.role as Role) : 'system',
        action: e.action,
        target: { type: e.targetType ?? 'session', id: e.targetId ?? e.userId },
        outcome: e.outcome,
        ...(e.areaCode ? { areaCode: e.areaCode } : {}),
        ...(e.detail ? { detail: { note: e.detail } } : {}),
      });
    },
  };
}
