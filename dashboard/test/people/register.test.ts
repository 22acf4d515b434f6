import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/people/categories.js';
import { generateDemoRegister, seedDemoRegister } from '../../src/people/demo-register.js';
import { residentIdProblem } from '../../src/privacy/resident-id.js';
import { describeEachDialect } from '../support/dialects.js';
import { entriesAfter, headSeq, openRegister, viewer } from './fixture.js';

const GRID = '341302001001001';
const STREET = '341302001';
const ID_MASK = /^\d{4}\*{10}[\dX]{4}$/;
const PHONE_MASK = /^\d{3}\*{4}\d{4}$/;

describe('the demo register', () => {
  it('is deterministic, 300–600 clearly fake people with valid IDs', async () => {
    const a = generateDemoRegister(7);
    expect(generateDemoRegister(7)).toEqual(a);
    expect(generateDemoRegister(8)).not.toEqual(a);
    expect(a.length).toBeGreaterThanOrEqual(300);
    expect(a.length).toBeLessThanOrEqual(600);
    for (const r of a) {
      expect(r.name).toMatch(/^测试居民\d{4}$/);
      expect(residentIdProblem(r.idNumber)).toBeNull();
      expect(r.idNumber.startsWith('341399')).toBe(true);
      expect(r.phone).toMatch(/^1700000\d{4}$/);
    }
    expect(new Set(a.map((r) => r.category))).toEqual(new Set(CATEGORIES));
  });
});

describeEachDialect('PeopleRegister', (ctx) => {
  let h: ReturnType<typeof openRegister>;
  const demo = generateDemoRegister(7);
  beforeEach(async () => {
    h = openRegister(ctx.db);
    expect(await seedDemoRegister(h.register, 7)).toBe(demo.length);
    expect(await seedDemoRegister(h.register, 7)).toBe(0);
  });

  it('keeps no plaintext name, ID or phone in the database', async () => {
    let bytes: Buffer;
    if (ctx.db.dialect === 'sqlite') {
      // Every byte of the files: the database, its WAL and anything beside it.
      const dbFile = ctx.db.describe.replace(/^sqlite:/, '');
      await ctx.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      bytes = Buffer.concat(
        readdirSync(join(dbFile, '..'))
          .filter((f) => f.startsWith('hub.sqlite'))
          .map((f) => readFileSync(join(dbFile, '..', f))),
      );
    } else {
      // Every row of the register and the audit log as PostgreSQL stores it, as text.
      const rows = await ctx.db.all<{ t: string }>(
        `SELECT CAST(r.* AS TEXT) AS t FROM people_residents r
         UNION ALL SELECT CAST(i.* AS TEXT) AS t FROM people_imports i
         UNION ALL SELECT CAST(a.* AS TEXT) AS t FROM audit_log a`,
      );
      bytes = Buffer.from(rows.map((r) => r.t).join('\n'));
    }
    expect(bytes.length).toBeGreaterThan(10_000);
    for (const r of demo.slice(0, 200)) {
      expect(bytes.includes(Buffer.from(r.idNumber))).toBe(false);
      expect(bytes.includes(Buffer.from(r.phone!))).toBe(false);
      expect(bytes.includes(Buffer.from(r.name))).toBe(false);
      expect(bytes.includes(Buffer.from(r.address!))).toBe(false);
    }
    // The grep would find them if they were there: grid codes are stored in clear.
    expect(bytes.includes(Buffer.from(demo[0]!.gridCode))).toBe(true);
  });

  it('gives a grid worker only their grid, masked, and audits every record', async () => {
    const gw = viewer('grid_worker', GRID);
    const before = await headSeq(h.db);
    const recs = await h.register.listRecords(gw, { limit: 200 });
    const expected = demo.filter((r) => r.gridCode === GRID && r.category !== 'community_correction');
    expect(recs).toHaveLength(expected.length);
    for (const r of recs) {
      expect(r.gridCode).toBe(GRID);
      expect(r.masked).toBe(true);
      expect(r.idNumber).toMatch(ID_MASK);
      expect(r.phone).toMatch(PHONE_MASK);
      expect(r.name).toMatch(/^测\*+$/);
      expect(r.category).not.toBe('community_correction');
    }
    const log = await entriesAfter(h.db, before);
    expect(log.map((e) => e.target_id).sort()).toEqual(recs.map((r) => r.id).sort());
    expect(log.every((e) => e.user_id === gw.userId && e.outcome === 'ok' && e.action === 'people.list')).toBe(true);
    await expect(h.register.listRecords(gw, { areaCode: '341302001001002' })).rejects.toThrow(/outside/);
    expect(await entriesAfter(h.db, before + log.length)).toMatchObject([{ outcome: 'denied', action: 'people.list' }]);
  });

  it('answers a record outside the area like a missing one, and audits both', async () => {
    const cw = viewer('community_worker', '341302001001');
    const other = (await h.register.listRecords(viewer('community_worker', '341302002001'), { limit: 1 }))[0]!;
    const before = await headSeq(h.db);
    await expect(h.register.getRecord(cw, other.id)).rejects.toThrow('no such record in your area');
    await expect(h.register.getRecord(cw, 'no-such-id')).rejects.toThrow('no such record in your area');
    const log = await entriesAfter(h.db, before);
    expect(log.map((e) => [e.target_id, e.outcome, JSON.parse(e.detail).reason])).toEqual([
      [other.id, 'denied', 'out_of_scope'],
      ['no-such-id', 'denied', 'not_found'],
    ]);
  });

  it('denies a street leader any record, and audits each attempt', async () => {
    const sl = viewer('street_leader', STREET);
    const any = (await h.register.listRecords(viewer('community_worker', '341302001001'), { limit: 1 }))[0]!;
    const before = await headSeq(h.db);
    await expect(h.register.listRecords(sl)).rejects.toThrow(/personal_read/);
    await expect(h.register.getRecord(sl, any.id)).rejects.toThrow(/personal_read/);
    await expect(h.register.getUnmasked(sl, any.id, { reason: 'emergency' })).rejects.toThrow(/personal_read/);
    expect((await entriesAfter(h.db, before)).map((e) => [e.user_id, e.action, e.outcome])).toEqual([
      [sl.userId, 'people.list', 'denied'],
      [sl.userId, 'people.read', 'denied'],
      [sl.userId, 'people.unmask', 'denied'],
    ]);
    // Counts are fine for a street leader: only aggregates, only their street.
    const counts = await h.register.countsByGrid(sl);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.gridCode.startsWith(STREET))).toBe(true);
  });

  it('reads one record masked, whatever the role, and audits it; no role unmasks by itself', async () => {
    const cw = viewer('community_worker', '341302001001');
    const gw = viewer('grid_worker', GRID);
    const rec = (await h.register.listRecords(gw, { limit: 1 }))[0]!;
    // Demo phones end in the resident's number, which the mask leaves visible.
    const truth = demo.find((r) => r.phone!.slice(-4) === rec.phone!.slice(-4))!;
    const before = await headSeq(h.db);
    const masked = await h.register.getRecord(cw, rec.id);
    expect(masked.masked).toBe(true);
    expect(masked.idNumber).toBe(`${truth.idNumber.slice(0, 4)}**********${truth.idNumber.slice(14)}`);
    // personal_write (the register's keepers) no longer implies unmasking: a grant is needed (unmask.test.ts).
    await expect(h.register.getUnmasked(cw, rec.id, { reason: 'welfare_visit' })).rejects.toMatchObject({
      code: 'UNMASK_NOT_GRANTED',
    });
    const log = await entriesAfter(h.db, before);
    expect(log.map((e) => [e.action, e.outcome, JSON.parse(e.detail).refused ?? null])).toEqual([
      ['people.read', 'ok', null],
      ['people.unmask', 'denied', 'not_granted'],
    ]);
    expect((await h.audit.verify()).ok).toBe(true);
  });

  it('shows community-correction counts and records to judicial staff only', async () => {
    const corrections = demo.filter((r) => r.category === 'community_correction');
    expect(corrections.length).toBeGreaterThan(0);
    const city = '341300';
    const jud = viewer('judicial', city);
    const op = viewer('city_operator', city);
    const cw = viewer('community_worker', city);
    expect((await h.register.countsByGrid(op)).every((c) => !('community_correction' in c.cells))).toBe(true);
    expect((await h.register.countsByGrid(jud)).every((c) => 'community_correction' in c.cells)).toBe(true);
    await expect(h.register.countsByGrid(op, 'community_correction')).rejects.toThrow(/not visible/);
    const recs = await h.register.listRecords(jud, { category: 'community_correction', limit: 200 });
    expect(recs).toHaveLength(corrections.length);
    await expect(h.register.listRecords(cw, { category: 'community_correction' })).rejects.toThrow(/not visible/);
    await expect(h.register.getRecord(cw, recs[0]!.id)).rejects.toThrow('no such record');
    const all = await h.register.listRecords(cw, { limit: 200 });
    expect(all.some((r) => r.category === 'community_correction')).toBe(false);
  });

  it('gives an auditor the audit log and no personal data', async () => {
    const aud = viewer('auditor', '341300');
    await expect(h.register.countsByGrid(aud)).rejects.toThrow();
    await expect(h.register.listRecords(aud)).rejects.toThrow();
    // Each test starts from a fresh database: some audited reads for the auditor to page through.
    const cw = viewer('community_worker', '341302001001');
    for (const r of await h.register.listRecords(cw, { limit: 20 })) await h.register.getRecord(cw, r.id);
    const page = await h.audit.list(aud, { limit: 1000 });
    expect(page.entries.length).toBeGreaterThan(10);
    const text = JSON.stringify(page);
    for (const r of demo) {
      expect(text.includes(r.idNumber)).toBe(false);
      expect(text.includes(r.name)).toBe(false);
      expect(text.includes(r.phone!)).toBe(false);
    }
  });
});
