import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/people/categories.js';
import { generateDemoRegister, seedDemoRegister } from '../../src/people/demo-register.js';
import { residentIdProblem } from '../../src/privacy/resident-id.js';
import { entriesAfter, headSeq, openRegister, viewer } from './fixture.js';

const GRID = '341302001001001';
const STREET = '341302001';
const ID_MASK = /^\d{4}\*{10}[\dX]{4}$/;
const PHONE_MASK = /^\d{3}\*{4}\d{4}$/;

describe('the demo register', () => {
  it('is deterministic, 300–600 clearly fake people with valid IDs', () => {
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

describe('PeopleRegister', () => {
  const h = openRegister();
  const demo = generateDemoRegister(7);
  beforeAll(() => {
    expect(seedDemoRegister(h.register, 7)).toBe(demo.length);
    expect(seedDemoRegister(h.register, 7)).toBe(0);
  });

  it('keeps no plaintext name, ID or phone in the SQLite files', () => {
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat(
      readdirSync(join(h.dbFile, '..'))
        .filter((f) => f.startsWith('hub.sqlite'))
        .map((f) => readFileSync(join(h.dbFile, '..', f))),
    );
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

  it('gives a grid worker only their grid, masked, and audits every record', () => {
    const gw = viewer('grid_worker', GRID);
    const before = headSeq(h.db);
    const recs = h.register.listRecords(gw, { limit: 200 });
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
    const log = entriesAfter(h.db, before);
    expect(log.map((e) => e.target_id).sort()).toEqual(recs.map((r) => r.id).sort());
    expect(log.every((e) => e.user_id === gw.userId && e.outcome === 'ok' && e.action === 'people.list')).toBe(true);
    expect(() => h.register.listRecords(gw, { areaCode: '341302001001002' })).toThrow(/outside/);
    expect(entriesAfter(h.db, before + log.length)).toMatchObject([{ outcome: 'denied', action: 'people.list' }]);
  });

  it('answers a record outside the area like a missing one, and audits both', () => {
    const cw = viewer('community_worker', '341302001001');
    const other = h.register.listRecords(viewer('community_worker', '341302002001'), { limit: 1 })[0]!;
    const before = headSeq(h.db);
    expect(() => h.register.getRecord(cw, other.id)).toThrow('no such record in your area');
    expect(() => h.register.getRecord(cw, 'no-such-id')).toThrow('no such record in your area');
    const log = entriesAfter(h.db, before);
    expect(log.map((e) => [e.target_id, e.outcome, JSON.parse(e.detail).reason])).toEqual([
      [other.id, 'denied', 'out_of_scope'],
      ['no-such-id', 'denied', 'not_found'],
    ]);
  });

  it('denies a street leader any record, and audits each attempt', () => {
    const sl = viewer('street_leader', STREET);
    const any = h.register.listRecords(viewer('community_worker', '341302001001'), { limit: 1 })[0]!;
    const before = headSeq(h.db);
    expect(() => h.register.listRecords(sl)).toThrow(/personal_read/);
    expect(() => h.register.getRecord(sl, any.id)).toThrow(/personal_read/);
    expect(() => h.register.getRecord(sl, any.id, { unmasked: true, reason: 'emergency' })).toThrow(/personal_read/);
    expect(entriesAfter(h.db, before).map((e) => [e.user_id, e.action, e.outcome])).toEqual([
      [sl.userId, 'people.list', 'denied'],
      [sl.userId, 'people.read', 'denied'],
      [sl.userId, 'people.read', 'denied'],
    ]);
    // Counts are fine for a street leader: only aggregates, only their street.
    const counts = h.register.countsByGrid(sl);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c.gridCode.startsWith(STREET))).toBe(true);
  });

  it('unmasks one record only for a role that may, with a listed reason, and audits the reason', () => {
    const cw = viewer('community_worker', '341302001001');
    const gw = viewer('grid_worker', GRID);
    const rec = h.register.listRecords(gw, { limit: 1 })[0]!;
    // Demo phones end in the resident's number, which the mask leaves visible.
    const truth = demo.find((r) => r.phone!.slice(-4) === rec.phone!.slice(-4))!;
    expect(truth.gridCode).toBe(GRID);
    const before = headSeq(h.db);
    expect(() => h.register.getRecord(gw, rec.id, { unmasked: true, reason: 'emergency' })).toThrow(/may not/);
    expect(() => h.register.getRecord(cw, rec.id, { unmasked: true })).toThrow(/reason/);
    const full = h.register.getRecord(cw, rec.id, { unmasked: true, reason: 'welfare_visit' });
    expect(full.masked).toBe(false);
    expect(full.idNumber).toBe(truth.idNumber);
    expect(full.phone).toBe(truth.phone);
    expect(full.name).toBe(truth.name);
    const masked = h.register.getRecord(cw, rec.id);
    expect(masked.idNumber).toBe(`${truth.idNumber.slice(0, 4)}**********${truth.idNumber.slice(14)}`);
    const log = entriesAfter(h.db, before);
    expect(log.map((e) => [e.outcome, JSON.parse(e.detail).reason ?? null])).toEqual([
      ['denied', 'unmask_not_allowed'],
      ['denied', 'unmask_without_reason'],
      ['ok', 'welfare_visit'],
      ['ok', null],
    ]);
    expect(h.audit.verify().ok).toBe(true);
  });

  it('shows community-correction counts and records to judicial staff only', () => {
    const corrections = demo.filter((r) => r.category === 'community_correction');
    expect(corrections.length).toBeGreaterThan(0);
    const city = '341300';
    const jud = viewer('judicial', city);
    const op = viewer('city_operator', city);
    const cw = viewer('community_worker', city);
    expect(h.register.countsByGrid(op).every((c) => !('community_correction' in c.cells))).toBe(true);
    expect(h.register.countsByGrid(jud).every((c) => 'community_correction' in c.cells)).toBe(true);
    expect(() => h.register.countsByGrid(op, 'community_correction')).toThrow(/not visible/);
    const recs = h.register.listRecords(jud, { category: 'community_correction', limit: 200 });
    expect(recs).toHaveLength(corrections.length);
    expect(() => h.register.listRecords(cw, { category: 'community_correction' })).toThrow(/not visible/);
    expect(() => h.register.getRecord(cw, recs[0]!.id)).toThrow('no such record');
    const all = h.register.listRecords(cw, { limit: 200 });
    expect(all.some((r) => r.category === 'community_correction')).toBe(false);
  });

  it('gives an auditor the audit log and no personal data', () => {
    const aud = viewer('auditor', '341300');
    expect(() => h.register.countsByGrid(aud)).toThrow();
    expect(() => h.register.listRecords(aud)).toThrow();
    const page = h.audit.list(aud, { limit: 1000 });
    expect(page.entries.length).toBeGreaterThan(10);
    const text = JSON.stringify(page);
    for (const r of demo) {
      expect(text.includes(r.idNumber)).toBe(false);
      expect(text.includes(r.name)).toBe(false);
      expect(text.includes(r.phone!)).toBe(false);
    }
  });
});
