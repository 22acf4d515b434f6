/** What the auth and command paths tell the audit log. Never personal data in `detail`. */
export interface AuditEntry {
  userId: string;
  role: string;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: 'ok' | 'denied' | 'error';
  detail?: string;
  /** The area of the target, so auditors scoped to an area see the entry. */
  areaCode?: string | null;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
}
