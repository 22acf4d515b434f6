import { expect, it } from 'vitest';
import type { Viewer } from '@linli/contract';
import { AuditLog } from '../../src/audit/audit-log.js';
import { auditSink } from '../../src/audit/audit-sink-adapter.js';
import { entryHash } from '../../src/audit/chain.js';
import type { AuditInput } from '../../src/audit/types.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { describeEachDialect, freshDb } from '../support/dialects.js';

const key = Buffer.alloc(32, 7);
const entry = (i: number, areaCode = '341302001001001'): AuditInput => ({
  userId: `u${i % 3}`,
  role: 'grid_worker',
  action: i % 2 ? 'people.read' : 'people.list',
  target: { type: 'resident', id: `r-${i}` },
  outcome: i % 5 === 0 ? 'denied' : 'ok',
  areaCode,
  detail: { category: 'lone_elder', n: i },
  time: 1_700_000_000_000 + i * 1000,
});
const auditor: Viewer = { userId: 'aud', role: 'auditor', areaCode: '341300' };

/** What someone with the database (not the hub's key) can do: drop the append-only triggers. */
async function dropTriggers(db: SqlDb): Promise<void> {
  if (db.dialect === 'sqlite') await db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete');
  else await db.exec('DROP TRIGGER audit_no_update_delete ON audit_log');
}

describeEachDialect('AuditLog', (ctx) => {
  const open = (hmacKey: Buffer | null = key) => new AuditLog(ctx.db, { hmacKey });

  it('chains entries and verifies the chain', async () => {
    const log = open();
    const a = await log.append(entry(1));
    const b = await log.append(entry(2));
    expect(a.seq).toBe(1);
    expect(b.prevHash).toBe(a.hash);
    expect(await log.verify()).toEqual({ ok: true, entries: 2, headHash: b.hash });
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    const log = open();
    await log.append(entry(1));
    await expect(ctx.db.run("UPDATE audit_log SET outcome = 'ok'")).rejects.toThrow(/append-only/);
    await expect(ctx.db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('finds the first edited entry after the triggers are dropped by a raw connection', async () => {
    const log = open();
    for (let i = 1; i <= 10; i++) await log.append(entry(i));
    await dropTriggers(ctx.db);
    await ctx.db.run("UPDATE audit_log SET outcome = 'ok' WHERE seq = 5");
    expect(await log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: /hash/ });
  });

  it('finds a deleted entry', async () => {
    const log = open();
    for (let i = 1; i <= 10; i++) await log.append(entry(i));
    await dropTriggers(ctx.db);
    await ctx.db.run('DELETE FROM audit_log WHERE seq = 7');
    expect(await log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 7, reason: /missing/ });
  });

  it('with an HMAC key, a chain rewritten without the key does not verify', async () => {
    const log = open();
    for (let i = 1; i <= 5; i++) await log.append(entry(i));
    // The attacker edits entry 3 and recomputes every hash from there with plain SHA-256 (no key).
    await dropTriggers(ctx.db);
    const rows = await ctx.db.all('SELECT * FROM audit_log ORDER BY seq');
    let prev = rows[1]!['hash'] as string;
    for (const r of rows.slice(2)) {
      const e = {
        seq: r['seq'] as number,
        time: r['time'] as number,
        userId: r['user_id'] as string,
        role: r['role'] as string,
        action: r['action'] as string,
        target: { type: r['target_type'] as string, id: r['target_id'] as string },
        outcome: (r['seq'] === 3 ? 'ok' : r['outcome']) as 'ok',
        areaCode: r['area_code'] as string,
        detail: JSON.parse(r['detail'] as string) as Record<string, number>,
      };
      const h = entryHash(e, prev, null);
      await ctx.db.run('UPDATE audit_log SET outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?', [
        e.outcome,
        prev,
        h,
        e.seq,
      ]);
      prev = h;
    }
    expect(await log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    // Without a key the same rewrite would pass: that is why the hub uses one.
    const other = await freshDb(ctx.dialect);
    try {
      const plain = new AuditLog(other.db, { hmacKey: null });
      await plain.append(entry(1));
      await dropTriggers(other.db);
      const r1 = (await other.db.get('SELECT * FROM audit_log'))!;
      const e1 = {
        ...entry(1),
        seq: 1,
        time: r1['time'] as number,
        outcome: 'ok' as const,
        areaCode: '341302001001001',
        detail: entry(1).detail!,
      };
      await other.db.run('UPDATE audit_log SET outcome = ?, hash = ?', ['ok', entryHash(e1, '0'.repeat(64), null)]);
      expect((await plain.verify()).ok).toBe(true);
    } finally {
      await other.dispose();
    }
  });

  it('refuses details that look like ID or phone numbers', async () => {
    const log = open();
    await expect(log.append({ ...entry(1), detail: { note: '11010519491231002X' } })).rejects.toThrow(/personal/);
    await expect(log.append({ ...entry(1), detail: { note: 'call 13812345678' } })).rejects.toThrow(/personal/);
    expect(() => log.enqueue({ ...entry(1), detail: { note: 'call 13812345678' } })).toThrow(/personal/);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 0 });
  });

  it('lists for auditors with paging, filters and area scope, and audits the listing', async () => {
    const log = open();
    for (let i = 1; i <= 25; i++) await log.append(entry(i, i <= 20 ? '341302001001001' : '341302002001001'));
    const p1 = await log.list(auditor, { limit: 10 });
    expect(p1.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const p2 = await log.list(auditor, { limit: 10, afterSeq: p1.nextAfterSeq! });
    expect(p2.entries[0]!.seq).toBe(11);
    expect((await log.list(auditor, { outcome: 'denied', limit: 100 })).entries.map((e) => e.seq)).toEqual([
      5, 10, 15, 20, 25,
    ]);
    expect((await log.list(auditor, { targetId: 'r-7' })).entries).toHaveLength(1);
    expect((await log.list(auditor, { userId: 'u1', to: 1_700_000_000_000 + 5000 })).entries.map((e) => e.seq)).toEqual(
      [1, 4],
    );
    // A street auditor sees only its street's entries.
    const street = await log.list({ userId: 'a2', role: 'auditor', areaCode: '341302002' }, { limit: 1000 });
    expect(street.entries.every((e) => e.areaCode?.startsWith('341302002'))).toBe(true);
    expect(street.entries.filter((e) => e.action !== 'audit.list').map((e) => e.seq)).toEqual([21, 22, 23, 24, 25]);
    expect((await log.list(auditor, { action: 'audit.list' })).entries.length).toBeGreaterThanOrEqual(6);
    expect((await log.verify()).ok).toBe(true);
  });

  it('denies and records a listing by a role without audit_read', async () => {
    const log = open();
    const gw: Viewer = { userId: 'g1', role: 'grid_worker', areaCode: '341302001001001' };
    await expect(log.list(gw)).rejects.toThrow(/audit_read/);
    expect((await log.list(auditor, { userId: 'g1' })).entries).toMatchObject([
      { action: 'audit.list', outcome: 'denied' },
    ]);
  });

  it('the synchronous sink queues entries in call order; flush and verify wait for them', async () => {
    const log = open();
    const sink = auditSink(log);
    for (let i = 1; i <= 30; i++)
      sink.record({ userId: `u${i}`, role: 'grid_worker', action: 'auth.login', outcome: 'ok', detail: `n${i}` });
    await log.append(entry(99));
    await log.flush();
    const page = await log.list(auditor, { action: 'auth.login', limit: 100 });
    expect(page.entries.map((e) => e.userId)).toEqual(Array.from({ length: 30 }, (_, i) => `u${i + 1}`));
    expect(page.entries.map((e) => e.role).every((r) => r === 'grid_worker')).toBe(true);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 31 + 1 });
  });

  it('reports a queued entry it could not write instead of dropping it silently', async () => {
    const failed: string[] = [];
    const log = new AuditLog(ctx.db, { hmacKey: key, onWriteError: (_err, e) => failed.push(e.action) });
    await dropTriggers(ctx.db);
    await ctx.db.exec('DROP TABLE audit_log');
    log.enqueue(entry(1));
    await log.flush();
    expect(failed).toEqual(['people.read']);
  });
});
