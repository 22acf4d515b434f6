export { AuditLog, type AuditLogOptions } from './audit-log.js';
export { canonical, entryHash, GENESIS_HASH } from './chain.js';
export { AUDIT_TABLE } from './schema.js';
export type {
  AuditDetail,
  AuditEntry,
  AuditFilter,
  AuditInput,
  AuditOutcome,
  AuditPage,
  VerifyResult,
} from './types.js';
