import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { entryHash } from '../../src/audit/chain.js';
import type { AuditInput } from '../../src/audit/types.js';
import type { Viewer } from '../../src/auth/roles.js';

const key = Buffer.alloc(32, 7);
function open(hmacKey: Buffer | null = key) {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-audit-')), 'hub.sqlite');
  const db = new Database(file);
  return { file, db, log: new AuditLog(db, { hmacKey }) };
}
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

describe('AuditLog', () => {
  it('chains entries and verifies the chain', () => {
    const { log } = open();
    const a = log.append(entry(1));
    const b = log.append(entry(2));
    expect(a.seq).toBe(1);
    expect(b.prevHash).toBe(a.hash);
    expect(log.verify()).toEqual({ ok: true, entries: 2, headHash: b.hash });
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const { db, log } = open();
    log.append(entry(1));
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'ok'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('finds the first edited entry after the triggers are dropped by a raw connection', () => {
    const { file, db, log } = open();
    for (let i = 1; i <= 10; i++) log.append(entry(i));
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete');
    raw.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = 5").run();
    raw.close();
    expect(log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: /hash/ });
    db.close();
  });

  it('finds a deleted entry', () => {
    const { file, log } = open();
    for (let i = 1; i <= 10; i++) log.append(entry(i));
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = 7').run();
    raw.close();
    expect(log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 7, reason: /missing/ });
  });

  it('with an HMAC key, a chain rewritten without the key does not verify', () => {
    const { file, log } = open();
    for (let i = 1; i <= 5; i++) log.append(entry(i));
    // The attacker edits entry 3 and recomputes every hash from there with plain SHA-256 (no key).
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_no_update');
    const rows = raw.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[];
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
      raw
        .prepare('UPDATE audit_log SET outcome = ?, prev_hash = ?, hash = ? WHERE seq = ?')
        .run(e.outcome, prev, h, e.seq);
      prev = h;
    }
    raw.close();
    expect(log.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    // Without a key the same rewrite would pass: that is why the hub uses one.
    const { file: f2, log: plain } = open(null);
    plain.append(entry(1));
    const raw2 = new Database(f2);
    raw2.exec('DROP TRIGGER audit_no_update');
    const r1 = raw2.prepare('SELECT * FROM audit_log').get() as Record<string, string | number>;
    const e1 = {
      ...entry(1),
      seq: 1,
      time: r1['time'] as number,
      outcome: 'ok' as const,
      areaCode: '341302001001001',
      detail: entry(1).detail!,
    };
    raw2.prepare('UPDATE audit_log SET outcome = ?, hash = ?').run('ok', entryHash(e1, '0'.repeat(64), null));
    raw2.close();
    expect(plain.verify().ok).toBe(true);
  });

  it('refuses details that look like ID or phone numbers', () => {
    const { log } = open();
    expect(() => log.append({ ...entry(1), detail: { note: '11010519491231002X' } })).toThrow(/personal/);
    expect(() => log.append({ ...entry(1), detail: { note: 'call 13812345678' } })).toThrow(/personal/);
    expect(log.verify()).toMatchObject({ ok: true, entries: 0 });
  });

  it('lists for auditors with paging, filters and area scope, and audits the listing', () => {
    const { log } = open();
    for (let i = 1; i <= 25; i++) log.append(entry(i, i <= 20 ? '341302001001001' : '341302002001001'));
    const p1 = log.list(auditor, { limit: 10 });
    expect(p1.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const p2 = log.list(auditor, { limit: 10, afterSeq: p1.nextAfterSeq! });
    expect(p2.entries[0]!.seq).toBe(11);
    expect(log.list(auditor, { outcome: 'denied', limit: 100 }).entries.map((e) => e.seq)).toEqual([5, 10, 15, 20, 25]);
    expect(log.list(auditor, { targetId: 'r-7' }).entries).toHaveLength(1);
    expect(log.list(auditor, { userId: 'u1', to: 1_700_000_000_000 + 5000 }).entries.map((e) => e.seq)).toEqual([1, 4]);
    // A street auditor sees only its street's entries.
    const street = log.list({ userId: 'a2', role: 'auditor', areaCode: '341302002' }, { limit: 1000 });
    expect(street.entries.every((e) => e.areaCode?.startsWith('341302002'))).toBe(true);
    expect(street.entries.filter((e) => e.action !== 'audit.list').map((e) => e.seq)).toEqual([21, 22, 23, 24, 25]);
    expect(log.list(auditor, { action: 'audit.list' }).entries.length).toBeGreaterThanOrEqual(6);
    expect(log.verify().ok).toBe(true);
  });

  it('denies and records a listing by a role without audit_read', () => {
    const { log } = open();
    const gw: Viewer = { userId: 'g1', role: 'grid_worker', areaCode: '341302001001001' };
    expect(() => log.list(gw)).toThrow(/audit_read/);
    expect(log.list(auditor, { userId: 'g1' }).entries).toMatchObject([{ action: 'audit.list', outcome: 'denied' }]);
  });
});
