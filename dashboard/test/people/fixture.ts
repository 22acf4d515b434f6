import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AreaIndex, loadDemoCity } from '@linli/geo';
import Database from 'better-sqlite3';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { Role, Viewer } from '../../src/auth/roles.js';
import { PeopleRegister } from '../../src/people/register.js';
import { FieldCrypto } from '../../src/privacy/field-crypto.js';

export const areas = new AreaIndex(loadDemoCity());

/** A register in a real SQLite file with its key file beside it, as the hub keeps it. */
export function openRegister(file?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-people-'));
  const dbFile = file ?? join(dir, 'hub.sqlite');
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  const crypto = FieldCrypto.open(dir);
  const audit = new AuditLog(db, { hmacKey: crypto.auditKey });
  return { dir, dbFile, db, crypto, audit, register: new PeopleRegister(db, crypto, audit, areas) };
}

export const viewer = (role: Role, areaCode: string, userId = `${role}-1`): Viewer => ({ userId, role, areaCode });

/** Audit entries written since `afterSeq`, read straight from the table (not through the audited list API). */
export function entriesAfter(db: Database.Database, afterSeq: number) {
  return db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(afterSeq) as {
    seq: number;
    user_id: string;
    action: string;
    target_type: string;
    target_id: string;
    outcome: string;
    detail: string;
  }[];
}

export function headSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS s FROM audit_log').get() as { s: number }).s;
}
