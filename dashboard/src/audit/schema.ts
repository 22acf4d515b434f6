/**
 * The audit table and the triggers that make it append-only live in the
 * versioned migrations (dashboard/migrations/{sqlite,postgres}/008-audit.sql).
 * The triggers stop mistakes and casual edits through the application's own
 * connection; someone with the database can drop them, which is what the hash
 * chain (and its HMAC key, kept outside the database) is for.
 */
export const AUDIT_TABLE = 'audit_log';
