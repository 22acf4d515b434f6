// Slow tier (npm test only, not npm run test:fast): needs PostgreSQL (concurrent writers on one audit chain). See CONTRIBUTING.md, "Test tiers".
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { openSqlDb } from '../../src/store/open-store.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { TEST_PG_URL } from '../support/dialects.js';

describe('AuditLog on PostgreSQL shared by several hub nodes', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dbs: SqlDb[] = [];
  afterEach(async () => {
    if (dbs[0]) await dbs[0].exec(`DROP SCHEMA ${schema} CASCADE`);
    for (const db of dbs.splice(0)) await db.close();
  });

  it('two nodes (two pools) appending at once extend one chain, without a fork', async () => {
    const a = await openSqlDb({ database: TEST_PG_URL, schema });
    const b = await openSqlDb({ database: TEST_PG_URL, schema });
    dbs.push(a, b);
    const key = Buffer.alloc(32, 9);
    const logA = new AuditLog(a, { hmacKey: key });
    const logB = new AuditLog(b, { hmacKey: key });
    const one = (log: AuditLog, node: string, i: number) =>
      log.append({
        userId: `${node}-${i}`,
        role: 'system',
        action: 'test.append',
        target: { type: 'node', id: node },
        outcome: 'ok',
      });
    // Direct appends and queued (sink) ones, interleaved on both nodes.
    const N = 60;
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      writes.push(one(logA, 'a', i), one(logB, 'b', i));
      logA.enqueue({
        userId: `qa-${i}`,
        role: 'system',
        action: 'test.queue',
        target: { type: 'node', id: 'a' },
        outcome: 'ok',
      });
      logB.enqueue({
        userId: `qb-${i}`,
        role: 'system',
        action: 'test.queue',
        target: { type: 'node', id: 'b' },
        outcome: 'ok',
      });
    }
    await Promise.all(writes);
    await Promise.all([logA.flush(), logB.flush()]);
    const ra = await logA.verify();
    const rb = await logB.verify();
    expect(ra).toMatchObject({ ok: true, entries: 4 * N });
    expect(rb).toEqual(ra);
    const forks = await a.all('SELECT prev_hash, count(*) AS n FROM audit_log GROUP BY prev_hash HAVING count(*) > 1');
    expect(forks).toEqual([]);
    const seqs = await a.all<{ seq: number }>('SELECT seq FROM audit_log ORDER BY seq');
    expect(seqs.map((r) => r.seq)).toEqual(Array.from({ length: 4 * N }, (_, i) => i + 1));
  });
});
