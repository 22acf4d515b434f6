import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../dashboard/src/auth/totp.js';
import { generateDemoRegister } from '../../../dashboard/src/people/demo-register.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { until } from '../../helpers/processes.js';

type Hub = Awaited<ReturnType<typeof startTestHub>>;
type Account = Awaited<ReturnType<Hub['user']>>;

/**
 * Insider (issue 17, item 2): a community worker with a real account once
 * fetched every record of the community in full with a reason picked from a
 * list. Over real HTTP, on both storage engines: unmasking needs a grant from
 * an administrator, a reason, a fresh second factor, stays under the hourly
 * limit, never comes in bulk, ends when the grant does, and the auditor sees
 * every read per user.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`insider: unmasking is a permission of its own [${dialect}]`, () => {
    let h: Hub;
    let admin: Account;
    let worker: Account;
    let worker2: Account;
    let leader: Account;
    let auditor: Account;
    let ids: string[];
    const register = generateDemoRegister(7);
    const unmask = (who: Account, id: string, reason = 'welfare_visit') =>
      h.api('POST', `/api/population/records/${id}/unmask`, { token: who.token, body: { reason } });
    // The login spent the current code; the next step's code is valid now too (one step of drift) and unspent.
    const stepUp = (who: Account) =>
      h.api('POST', '/api/step-up', {
        token: who.token,
        body: { totp: totpCode(who.totpSecret!, Date.now() + 30_000) },
      });
    const grant = (who: Account, untilMs: number) =>
      h.api('PUT', `/api/users/${who.user.id}/unmask-grant`, {
        token: admin.token,
        body: { until: new Date(untilMs).toISOString() },
      });

    beforeAll(async () => {
      h = await startTestHub({ demoRegister: true, dialect });
      admin = await h.user('admin.city', 'admin', AREAS.city);
      worker = await h.user('worker.a', 'community_worker', AREAS.communityA);
      worker2 = await h.user('worker.a2', 'community_worker', AREAS.communityA);
      leader = await h.user('leader.a', 'street_leader', AREAS.streetA);
      auditor = await h.user('auditor.city', 'auditor', AREAS.city);
      const list = await h.api('GET', '/api/population/records?limit=20', { token: worker.token });
      ids = (list.body.records as { id: string }[]).map((r) => r.id);
      expect(ids.length).toBeGreaterThan(8);
    }, 120_000);
    afterAll(() => h.stop());

    it('refuses a community worker without a grant with 403 UNMASK_NOT_GRANTED; the old query flag is gone', async () => {
      const r = await unmask(worker, ids[0]!);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('UNMASK_NOT_GRANTED');
      expect(JSON.stringify(r.body)).not.toMatch(/\d{17}[\dX]/);
      const old = await h.api('GET', `/api/population/records/${ids[0]}?unmasked=true&reason=emergency`, {
        token: worker.token,
      });
      expect(old.status).toBe(400);
      expect(old.body.error.code).toBe('INVALID_QUERY');
    });

    it('lets only an administrator with a fresh step-up grant it, bounded in time, to a role that reads records', async () => {
      const inHour = Date.now() + 3600_000;
      const noStep = await grant(worker, inHour);
      expect([noStep.status, noStep.body.error.code]).toEqual([403, 'STEP_UP_REQUIRED']);
      const byWorker = await h.api('PUT', `/api/users/${worker2.user.id}/unmask-grant`, {
        token: worker.token,
        body: { until: new Date(inHour).toISOString() },
      });
      expect([byWorker.status, byWorker.body.error.code]).toEqual([403, 'FORBIDDEN']);
      const s = await stepUp(admin);
      expect(s.status).toBe(200);
      const tooLong = await grant(worker, Date.now() + 31 * 24 * 3600_000);
      expect([tooLong.status, tooLong.body.error.code]).toEqual([400, 'GRANT_TOO_LONG']);
      const toLeader = await grant(leader, inHour);
      expect([toLeader.status, toLeader.body.error.code]).toEqual([400, 'GRANT_NOT_APPLICABLE']);
      const ok = await grant(worker, inHour);
      expect(ok.status).toBe(200);
      expect(ok.body.grant).toMatchObject({ userId: worker.user.id, grantedBy: admin.user.id, expiresAt: inHour });
      const listed = await h.api('GET', '/api/unmask-grants', { token: admin.token });
      expect(listed.body.grants.map((g: { username: string }) => g.username)).toEqual(['worker.a']);
    });

    it('with the grant but no fresh step-up answers STEP_UP_REQUIRED (403, so the cockpit keeps its session)', async () => {
      const r = await unmask(worker, ids[0]!);
      expect([r.status, r.body.error.code]).toEqual([403, 'STEP_UP_REQUIRED']);
      const wrong = await h.api('POST', '/api/step-up', { token: worker.token, body: { totp: '000000' } });
      expect([wrong.status, wrong.body.error.code]).toEqual([403, 'TOTP_INVALID']);
    });

    it('after a step-up returns one record in full, and the audit log holds the read with its reason', async () => {
      expect((await stepUp(worker)).status).toBe(200);
      const r = await unmask(worker, ids[0]!, 'emergency');
      expect(r.status).toBe(200);
      expect(r.body.record.masked).toBe(false);
      expect(register.some((p) => p.idNumber === r.body.record.idNumber && p.phone === r.body.record.phone)).toBe(true);
      const log = await h.api('GET', `/api/audit?userId=${worker.user.id}&action=people.unmask&outcome=ok`, {
        token: auditor.token,
      });
      expect(log.body.entries).toHaveLength(1);
      expect(log.body.entries[0]).toMatchObject({
        target: { type: 'resident', id: ids[0] },
        detail: { reason: 'emergency', category: r.body.record.category },
      });
      expect(JSON.stringify(log.body)).not.toContain(r.body.record.idNumber);
    });

    it('refuses the sixth unmasked read in an hour with 429 RATE_LIMITED and Retry-After', async () => {
      for (const id of ids.slice(1, 5)) expect((await unmask(worker, id)).status).toBe(200);
      const sixth = await unmask(worker, ids[5]!);
      expect([sixth.status, sixth.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(3000);
    });

    it('refuses a list endpoint asking for unmasked records with BULK_UNMASK_REFUSED', async () => {
      const r = await h.api('GET', '/api/population/records?unmasked=true&limit=200', { token: worker.token });
      expect([r.status, r.body.error.code]).toEqual([403, 'BULK_UNMASK_REFUSED']);
      expect(r.body.records).toBeUndefined();
    });

    it('ends the grant at its time, and when an administrator revokes it', async () => {
      expect((await stepUp(worker2)).status).toBe(200);
      const ends = Date.now() + 5000;
      expect((await grant(worker2, ends)).status).toBe(200);
      await until(() => Date.now() > ends + 50, 'the grant’s end time to pass', 30_000);
      const late = await unmask(worker2, ids[6]!);
      expect([late.status, late.body.error.code]).toEqual([403, 'UNMASK_NOT_GRANTED']);
      const revoke = await h.api('DELETE', `/api/users/${worker.user.id}/unmask-grant`, { token: admin.token });
      expect(revoke.body).toMatchObject({ ok: true, ended: 1 });
      const after = await unmask(worker, ids[6]!);
      expect([after.status, after.body.error.code]).toEqual([403, 'UNMASK_NOT_GRANTED']);
    });

    it('lets the auditor list unmasked reads per user, with reasons and refusals; nobody else', async () => {
      const byName = await h.api('GET', '/api/audit/unmasked?user=worker.a', { token: auditor.token });
      expect(byName.status).toBe(200);
      const reads = byName.body.entries.filter((e: { outcome: string }) => e.outcome === 'ok');
      expect(reads.map((e: { residentId: string }) => e.residentId)).toEqual(ids.slice(0, 5));
      expect(reads.map((e: { reason: string }) => e.reason)).toEqual([
        'emergency',
        'welfare_visit',
        'welfare_visit',
        'welfare_visit',
        'welfare_visit',
      ]);
      expect(byName.body.byUser).toEqual([
        expect.objectContaining({ userId: worker.user.id, username: 'worker.a', reads: 5, refused: 4 }),
      ]);
      const refusals = byName.body.entries.map((e: { refused: string | null }) => e.refused).filter(Boolean);
      expect(refusals).toEqual(['not_granted', 'step_up_required', 'rate_limited', 'grant_ended']);
      const all = await h.api('GET', '/api/audit/unmasked', { token: auditor.token });
      expect(all.body.byUser.map((u: { username: string }) => u.username).sort()).toEqual(['worker.a', 'worker.a2']);
      const grants = await h.api('GET', '/api/audit?action=unmask.grant&outcome=ok', { token: auditor.token });
      expect(grants.body.entries.map((e: { target: { id: string } }) => e.target.id)).toEqual([
        worker.user.id,
        worker2.user.id,
      ]);
      const nosy = await h.api('GET', '/api/audit/unmasked', { token: worker.token });
      expect([nosy.status, nosy.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await h.api('GET', '/api/audit/verify', { token: auditor.token })).body.result.ok).toBe(true);
    });
  });
}
