import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AreaIndex } from '@linli/geo';
import type { Role, Viewer } from '@linli/contract';
import { demoCityTree } from '../../src/city/demo-city-source.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { PeopleRegister } from '../../src/people/register.js';
import { FieldCrypto } from '../../src/privacy/field-crypto.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';

export const areas = new AreaIndex(demoCityTree());

/** A register in the hub database (a real SQLite file or a PostgreSQL schema) with its key file in a folder, as the hub keeps it. */
export function openRegister(db: SqlDb) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-people-'));
  const crypto = FieldCrypto.open(dir);
  const audit = new AuditLog(db, { hmacKey: crypto.auditKey });
  return { dir, db, crypto, audit, register: new PeopleRegister(db, crypto, audit, areas) };
}

export const viewer = (role: Role, areaCode: string, userId = `${role}-1`): Viewer => ({ userId, role, areaCode });

/** Audit entries written since `afterSeq`, read straight from the table (not through the audited list API). */
export function entriesAfter(db: SqlDb, afterSeq: number) {
  return db.all<{
    seq: number;
    user_id: string;
    action: string;
    target_type: string;
    target_id: string;
    outcome: string;
    detail: string;
  }>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq', [afterSeq]);
}

export async function headSeq(db: SqlDb): Promise<number> {
  return (await db.get<{ s: number }>('SELECT coalesce(max(seq), 0) AS s FROM audit_log'))!.s;
}
