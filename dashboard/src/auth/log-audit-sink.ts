import type { Logger } from '../log.js';
import type { AuditEntry, AuditSink } from './audit-sink.js';

/** Audit entries to the hub log, for tools that run without the audit database (CLI one-shots). */
export class LogAuditSink implements AuditSink {
  constructor(private readonly log: Logger) {}
  record(entry: AuditEntry): void {
    this.log.info({ audit: entry }, 'audit');
  }
}
