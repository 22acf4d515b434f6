import { beforeEach, expect, it } from 'vitest';
import type { Role, Viewer } from '@linli/contract';
import { SessionRepo } from '../../src/auth/sessions.js';
import { UnmaskGrants } from '../../src/auth/unmask-grants.js';
import { unmaskLimits } from '../../src/auth/unmask-limits.js';
import { UserRepo } from '../../src/auth/users.js';
import { seedDemoRegister } from '../../src/people/demo-register.js';
import { PeopleRegister } from '../../src/people/register.js';
import { describeEachDialect } from '../support/dialects.js';
import { areas, entriesAfter, headSeq, openRegister } from './fixture.js';

const COMMUNITY = '341302001001';
const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const MIN = 60_000;
const limits = unmaskLimits({ perHour: 5, stepUpMs: 5 * MIN, maxGrantMs: 7 * 24 * 60 * MIN });
const CLI = { userId: 'cli', role: 'system' as const, areaCode: null };

/**
 * The unmask gate with a clock in the test's hand: grants that end, step-ups
 * that go stale, an hourly window that slides, and two registers (two hub
 * nodes) sharing one database and one limit.
 */
describeEachDialect('unmasking: grant, step-up, rate limit', (ctx) => {
  let h: ReturnType<typeof openRegister>;
  let register: PeopleRegister;
  let grants: UnmaskGrants;
  let worker: Viewer;
  let session: string;
  let ids: string[];

  async function user(username: string, role: Role, areaCode: string): Promise<Viewer> {
    const u = await new UserRepo(ctx.db).create({
      username,
      displayName: username,
      role,
      areaCode,
      passwordHash: 'x',
      totpSealed: null,
      createdBy: 'test',
      now: T0,
    });
    return { userId: u.id, role, areaCode };
  }
  const stepUpAt = (at: number) => ctx.db.run('UPDATE sessions SET step_up_at = ? WHERE token_hash = ?', [at, session]);

  beforeEach(async () => {
    h = openRegister(ctx.db);
    register = new PeopleRegister(ctx.db, h.crypto, h.audit, areas, limits);
    grants = new UnmaskGrants(ctx.db, h.audit, limits);
    await seedDemoRegister(register, 7);
    worker = await user('worker.a', 'community_worker', COMMUNITY);
    const s = await new SessionRepo(ctx.db).create(worker.userId, 'interactive', T0);
    session = s.session.tokenHash;
    ids = (await register.listRecords(worker, { limit: 20 })).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(8);
  });

  it('refuses in order: no grant, no reason, no fresh step-up; then reads one record in full with its reason audited', async () => {
    const req = { reason: 'welfare_visit', sessionHash: session };
    const before = await headSeq(ctx.db);
    await expect(register.getUnmasked(worker, ids[0]!, req, T0)).rejects.toMatchObject({
      code: 'UNMASK_NOT_GRANTED',
      status: 403,
    });
    const g = await grants.grant(CLI, worker.userId, T0 + 60 * MIN, T0);
    await expect(register.getUnmasked(worker, ids[0]!, { sessionHash: session }, T0)).rejects.toMatchObject({
      code: 'UNMASK_REASON_REQUIRED',
    });
    await expect(register.getUnmasked(worker, ids[0]!, req, T0)).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    await stepUpAt(T0);
    const full = await register.getUnmasked(worker, ids[0]!, req, T0 + MIN);
    expect(full.masked).toBe(false);
    expect(full.idNumber).toMatch(/^\d{17}[\dX]$/);
    // A step-up is for one session: another session of the same user has none.
    const other = await new SessionRepo(ctx.db).create(worker.userId, 'interactive', T0);
    await expect(
      register.getUnmasked(worker, ids[1]!, { ...req, sessionHash: other.session.tokenHash }, T0 + MIN),
    ).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    // And it goes stale after the window.
    await expect(register.getUnmasked(worker, ids[1]!, req, T0 + 6 * MIN)).rejects.toMatchObject({
      code: 'STEP_UP_REQUIRED',
    });
    const log = await entriesAfter(ctx.db, before);
    expect(log.map((e) => [e.action, e.outcome, JSON.parse(e.detail).refused ?? JSON.parse(e.detail).reason])).toEqual([
      ['people.unmask', 'denied', 'not_granted'],
      ['unmask.grant', 'ok', undefined],
      ['people.unmask', 'denied', 'no_reason'],
      ['people.unmask', 'denied', 'step_up_required'],
      ['people.unmask', 'ok', 'welfare_visit'],
      ['people.unmask', 'denied', 'step_up_required'],
      ['people.unmask', 'denied', 'step_up_required'],
    ]);
    expect(JSON.parse(log[4]!.detail)).toMatchObject({ grant: g.id, reason: 'welfare_visit' });
    expect((await h.audit.verify()).ok).toBe(true);
  });

  it('allows perHour unmasked reads in any sliding hour, counted in the database across two hub nodes', async () => {
    await grants.grant(CLI, worker.userId, T0 + 2 * 60 * MIN, T0);
    // A second register over the same database stands for a second hub node.
    const node2 = new PeopleRegister(ctx.db, h.crypto, h.audit, areas, limits);
    const at = T0 + 10 * MIN;
    await stepUpAt(at);
    const req = { reason: 'emergency', sessionHash: session };
    const results = await Promise.allSettled(
      ids.slice(0, 8).map((id, i) => (i % 2 ? node2 : register).getUnmasked(worker, id, req, at + i)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string }] : []));
    expect(ok).toHaveLength(5);
    expect(refused.map((e) => e.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    const limited = refused[0] as unknown as { status: number; retryAfterMs: number };
    expect(limited.status).toBe(429);
    expect(limited.retryAfterMs).toBeGreaterThan(59 * MIN);
    // An hour after the oldest read it leaves the window, and exactly one slot is free again.
    const oldest = at + results.findIndex((r) => r.status === 'fulfilled');
    const later = oldest + 60 * MIN;
    await stepUpAt(later);
    await expect(register.getUnmasked(worker, ids[8]!, req, later)).resolves.toMatchObject({ masked: false });
    await expect(register.getUnmasked(worker, ids[9]!, req, later)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('ends a grant at its time or when revoked, and audits both', async () => {
    await stepUpAt(T0);
    const req = { reason: 'service_delivery', sessionHash: session };
    await grants.grant(CLI, worker.userId, T0 + 2 * MIN, T0);
    await expect(register.getUnmasked(worker, ids[0]!, req, T0 + MIN)).resolves.toMatchObject({ masked: false });
    const before = await headSeq(ctx.db);
    await expect(register.getUnmasked(worker, ids[1]!, req, T0 + 2 * MIN)).rejects.toMatchObject({
      code: 'UNMASK_NOT_GRANTED',
    });
    await grants.grant(CLI, worker.userId, T0 + 60 * MIN, T0 + 3 * MIN);
    await stepUpAt(T0 + 3 * MIN);
    await expect(register.getUnmasked(worker, ids[1]!, req, T0 + 3 * MIN)).resolves.toMatchObject({ masked: false });
    expect(await grants.revoke(CLI, worker.userId, T0 + 4 * MIN)).toBe(1);
    await expect(register.getUnmasked(worker, ids[2]!, req, T0 + 4 * MIN)).rejects.toMatchObject({
      code: 'UNMASK_NOT_GRANTED',
    });
    const log = await entriesAfter(ctx.db, before);
    expect(log.map((e) => [e.action, e.outcome, JSON.parse(e.detail).refused ?? null])).toEqual([
      ['people.unmask', 'denied', 'grant_ended'],
      ['unmask.grant', 'ok', null],
      ['people.unmask', 'ok', null],
      ['unmask.revoke', 'ok', null],
      ['people.unmask', 'denied', 'grant_ended'],
    ]);
  });

  it('grants only to roles that read records, only for a bounded time, only inside the granting administrator’s area', async () => {
    const leader = await user('leader.a', 'street_leader', '341302001');
    const admin = await user('admin.b', 'admin', '341302002');
    const before = await headSeq(ctx.db);
    await expect(grants.grant(CLI, leader.userId, T0 + MIN, T0)).rejects.toMatchObject({
      code: 'GRANT_NOT_APPLICABLE',
    });
    await expect(grants.grant(CLI, worker.userId, T0 + 8 * 24 * 60 * MIN, T0)).rejects.toMatchObject({
      code: 'GRANT_TOO_LONG',
    });
    await expect(grants.grant(CLI, worker.userId, T0 - 1, T0)).rejects.toMatchObject({ code: 'GRANT_INVALID_UNTIL' });
    await expect(grants.grant(admin, worker.userId, T0 + MIN, T0)).rejects.toMatchObject({
      code: 'UNKNOWN_USER',
      status: 404,
    });
    await expect(grants.grant(CLI, 'no-such-user', T0 + MIN, T0)).rejects.toMatchObject({ code: 'UNKNOWN_USER' });
    expect(await grants.active(worker.userId, T0)).toBeNull();
    const log = await entriesAfter(ctx.db, before);
    expect(log.map((e) => [e.action, e.outcome, JSON.parse(e.detail).refused])).toEqual([
      ['unmask.grant', 'denied', 'role'],
      ['unmask.grant', 'denied', 'too_long'],
      ['unmask.grant', 'denied', 'until_past'],
      ['unmask.grant', 'denied', 'out_of_scope'],
      ['unmask.grant', 'denied', 'unknown_user'],
    ]);
  });

  it('refuses a list that asks for unmasked records, and audits it', async () => {
    const before = await headSeq(ctx.db);
    await expect(register.refuseBulkUnmask(worker, COMMUNITY, T0)).rejects.toMatchObject({
      code: 'BULK_UNMASK_REFUSED',
    });
    expect((await entriesAfter(ctx.db, before)).map((e) => [e.action, e.outcome])).toEqual([['people.list', 'denied']]);
  });
});
