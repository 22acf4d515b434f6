import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoRegister } from '../../../dashboard/src/people/demo-register.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';

const MASKED_ID = /^[0-9]{4}\*{10}[0-9]{3}[0-9X]$/;
const MASKED_PHONE = /^1[0-9]{2}\*{4}[0-9]{4}$/;

/** Personal data over the real API: masked, scoped, audited, never in logs or the database in clear. */
describe('hub: key-population privacy over HTTP', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  const register = generateDemoRegister(7);
  let worker: Awaited<ReturnType<typeof h.user>>;
  let leader: Awaited<ReturnType<typeof h.user>>;
  let auditor: Awaited<ReturnType<typeof h.user>>;
  let judicial: Awaited<ReturnType<typeof h.user>>;

  beforeAll(async () => {
    h = await startTestHub({ demoRegister: true });
    worker = await h.user('worker.a', 'community_worker', AREAS.communityA);
    leader = await h.user('leader.a', 'street_leader', AREAS.streetA);
    auditor = await h.user('auditor.city', 'auditor', AREAS.city);
    judicial = await h.user('judicial.a', 'judicial', AREAS.streetA);
  }, 60_000);
  afterAll(() => h.stop());

  it('ships a synthetic register whose names are plainly fake', () => {
    expect(register.length).toBeGreaterThan(100);
    expect(register.every((r) => r.name.startsWith('测试居民'))).toBe(true);
  });

  it('returns records to a community worker masked, inside the community only, one audit entry per record', async () => {
    const r = await h.api('GET', '/api/population/records?limit=200', { token: worker.token });
    expect(r.status).toBe(200);
    const records = r.body.records as {
      id: string;
      gridCode: string;
      idNumber: string;
      phone: string | null;
      name: string;
    }[];
    expect(records.length).toBeGreaterThan(0);
    for (const rec of records) {
      expect(rec.gridCode.startsWith(AREAS.communityA)).toBe(true);
      expect(rec.idNumber).toMatch(MASKED_ID);
      if (rec.phone) expect(rec.phone).toMatch(MASKED_PHONE);
      expect(register.some((p) => p.name === rec.name)).toBe(false);
    }
    const audit = await h.api('GET', `/api/audit?userId=${worker.user.id}&limit=1000`, { token: auditor.token });
    expect(audit.status).toBe(200);
    const reads = audit.body.entries.filter((e: { target: { type: string } }) => e.target.type === 'resident');
    expect(new Set(reads.map((e: { target: { id: string } }) => e.target.id))).toEqual(
      new Set(records.map((x) => x.id)),
    );
  });

  it('refuses records to a street leader (aggregates only) and audits the refusal', async () => {
    const r = await h.api('GET', '/api/population/records', { token: leader.token });
    expect(r.status).toBe(403);
    const audit = await h.api('GET', `/api/audit?userId=${leader.user.id}&outcome=denied`, { token: auditor.token });
    expect(audit.body.entries.length).toBeGreaterThan(0);
  });

  it('never lets a count under 5 leave the server, and shows correction counts to judicial staff only', async () => {
    const leaderCounts = await h.api('GET', '/api/population/counts', { token: leader.token });
    expect(leaderCounts.status).toBe(200);
    const values = (body: { grids: { cells: Record<string, unknown>; total: unknown }[] }) =>
      body.grids.flatMap((g) => [...Object.values(g.cells), g.total]);
    const all = values(leaderCounts.body);
    expect(all.length).toBeGreaterThan(0);
    expect(all.some((v) => typeof v === 'number' && v > 0 && v < 5)).toBe(false);
    expect(leaderCounts.body.grids.every((g: { gridCode: string }) => g.gridCode.startsWith(AREAS.streetA))).toBe(true);
    expect(JSON.stringify(leaderCounts.body)).not.toContain('community_correction');
    const judicialCounts = await h.api('GET', '/api/population/counts?category=community_correction', {
      token: judicial.token,
    });
    expect(judicialCounts.status).toBe(200);
    const leaderCorrection = await h.api('GET', '/api/population/counts?category=community_correction', {
      token: leader.token,
    });
    expect(leaderCorrection.status).toBe(403);
  });

  it('gives the auditor the audit log without personal data, and a chain that verifies', async () => {
    const page = await h.api('GET', '/api/audit?limit=1000', { token: auditor.token });
    const text = JSON.stringify(page.body);
    for (const p of register.slice(0, 200)) {
      expect(text.includes(p.idNumber)).toBe(false);
      expect(text.includes(p.name)).toBe(false);
    }
    expect((await h.api('GET', '/api/population/records', { token: auditor.token })).status).toBe(403);
    const verify = await h.api('GET', '/api/audit/verify', { token: auditor.token });
    expect(verify.body.result.ok).toBe(true);
    expect(verify.body.result.entries).toBeGreaterThan(10);
  });

  it('keeps names, ID and phone numbers out of the logs and out of the database file in clear', async () => {
    const log = h.logLines.join('\n');
    const db =
      readFileSync(join(h.dir, 'hub.sqlite')).toString('latin1') +
      readFileSync(join(h.dir, 'hub.sqlite-wal')).toString('latin1');
    const dbUtf8 = Buffer.from(db, 'latin1').toString('utf8');
    for (const p of register) {
      expect(log.includes(p.idNumber)).toBe(false);
      expect(log.includes(p.name)).toBe(false);
      expect(db.includes(p.idNumber)).toBe(false);
      if (p.phone) expect(db.includes(p.phone)).toBe(false);
      expect(dbUtf8.includes(p.name)).toBe(false);
    }
  });
});
