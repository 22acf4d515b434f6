import type { LinliEvent } from '@linli/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../dashboard/src/auth/totp.js';
import { AREAS, defaultDevices, eventAt, resetSeqs, startTestHub } from '../../helpers/hub-fixture.js';
import { until, untilAsync } from '../../helpers/processes.js';

const MIN = 60_000;
type Hub = Awaited<ReturnType<typeof startTestHub>>;
type User = Awaited<ReturnType<Hub['user']>>;

/**
 * Insider item 4 (issue 17): an account holder must not be able to silence
 * alarms for ever. Real HTTP and Socket.IO on a real hub, on SQLite and PostgreSQL.
 */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`insider: maintenance windows cannot silence alarms for ever [${dialect}]`, () => {
    let h: Hub;
    let leaderA: User;
    let leaderB: User;
    let cityOp: User;
    let cityOp2: User;
    let auditor: User;
    let gwA: Awaited<ReturnType<Hub['gatewaySocket']>>;
    /** The last TOTP time step each user spent: a code is accepted once, so the next step-up uses a later one. */
    const spent = new Map<string, number>();
    /** When each user last stepped up here: one step-up covers five minutes, so tests reuse a recent one. */
    const fresh = new Map<string, number>();

    beforeAll(async () => {
      resetSeqs(); // each hub expects gw-a's sequence to start at 1
      h = await startTestHub({ dialect });
      leaderA = await h.user('leader.a', 'street_leader', AREAS.streetA);
      leaderB = await h.user('leader.b', 'street_leader', AREAS.streetB);
      cityOp = await h.user('city.op', 'city_operator', AREAS.city);
      cityOp2 = await h.user('city.op2', 'city_operator', AREAS.city);
      auditor = await h.user('audit.city', 'auditor', AREAS.city);
      // The gateway declares the devices this suite raises alarms from (the hub refuses undeclared ones).
      gwA = await h.gatewaySocket('gw-a', await h.gateway('gw-a', AREAS.communityA), [
        ...defaultDevices(AREAS.gridA1),
        ...['tilt-07', 'tilt-08', 'tilt-20'].map((id) => ({ id, type: 'tilt', gridId: AREAS.gridA2 })),
      ]);
    }, 120_000);
    afterAll(() => h.stop());

    async function stepUp(u: User) {
      if (Date.now() - (fresh.get(u.user.id) ?? 0) < 2 * MIN) return;
      const step = Math.max(Math.floor(Date.now() / 30_000), (spent.get(u.user.id) ?? 0) + 1);
      // One step ahead of the clock is still accepted (drift window); wait rather than go further.
      await until(() => step <= Math.floor(Date.now() / 30_000) + 1, 'a fresh TOTP step', 40_000);
      spent.set(u.user.id, step);
      const r = await h.api('POST', '/api/step-up', {
        token: u.token,
        body: { totp: totpCode(u.totpSecret!, step * 30_000) },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      fresh.set(u.user.id, Date.now());
    }
    const declare = (u: User, body: Record<string, unknown>) =>
      h.api('POST', '/api/maintenance-windows', {
        token: u.token,
        body: { startsAt: Date.now(), endsAt: Date.now() + 60 * MIN, reason: '设备检修 maintenance', ...body },
      });
    const audited = (u: User, action: string, outcome: 'ok' | 'denied', detail?: string) =>
      untilAsync(
        async () => {
          const r = await h.api(
            'GET',
            `/api/audit?userId=${u.user.id}&action=${action}&outcome=${outcome}&limit=1000`,
            {
              token: auditor.token,
            },
          );
          const hits = (r.body.entries as { detail: { note?: string } }[]).filter(
            (e) => !detail || e.detail.note?.includes(detail),
          );
          return hits.length ? hits : null;
        },
        `audit ${action} ${outcome} ${detail ?? ''}`,
      );
    async function alarm(e: LinliEvent) {
      expect(await gwA.timeout(10_000).emitWithAck('events', { events: [e] })).toMatchObject({ ok: true });
      return untilAsync(async () => {
        const r = await h.api('GET', `/api/alerts?kinds=${e.kind}&limit=5000`, { token: cityOp.token });
        return (r.body.alerts as { id: string; firstEventId: string }[]).find((a) => a.firstEventId === e.id);
      }, `the alert of ${e.kind} ${e.id}`) as Promise<Record<string, unknown> & { id: string }>;
    }

    it('refuses a window without a fresh second factor, for street leaders and city operators alike', async () => {
      for (const u of [leaderA, cityOp]) {
        const r = await declare(u, { areaPrefix: AREAS.gridA1, deviceId: 'smoke-01' });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('STEP_UP_REQUIRED');
        await audited(u, 'maintenance:create', 'denied');
      }
      // A step-up goes stale: six minutes later it no longer counts.
      await stepUp(leaderA);
      await h.store.db.run('UPDATE sessions SET step_up_at = step_up_at - ? WHERE user_id = ?', [
        6 * MIN,
        leaderA.user.id,
      ]);
      fresh.delete(leaderA.user.id);
      expect((await declare(leaderA, { areaPrefix: AREAS.gridA1, kind: 'tilt.alarm' })).body.error.code).toBe(
        'STEP_UP_REQUIRED',
      );
      // A wrong code is refused (and counts toward the lockout).
      const wrong = await h.api('POST', '/api/step-up', { token: leaderA.token, body: { totp: '000000' } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('TOTP_INVALID');
    });

    it('refuses a 10-year window with MAINTENANCE_TOO_LONG, and audits the refusal', async () => {
      await stepUp(leaderA);
      const r = await declare(leaderA, {
        areaPrefix: AREAS.communityA,
        kind: 'tilt.alarm',
        endsAt: Date.now() + 10 * 365 * 24 * 60 * MIN,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('MAINTENANCE_TOO_LONG');
      await audited(leaderA, 'maintenance:create', 'denied', 'MAINTENANCE_TOO_LONG');
    });

    it('holds a street-wide window pending until a city role (not its creator) approves it', async () => {
      await stepUp(leaderA);
      const r = await declare(leaderA, { areaPrefix: AREAS.streetA });
      expect(r.status).toBe(200);
      expect(r.body.window).toMatchObject({ status: 'pending', wide: true });
      const id = r.body.window.id as string;
      await audited(leaderA, 'maintenance:create', 'ok', 'pending');
      // Pending silences nothing.
      const tilt = await alarm(
        eventAt('gw-a', AREAS.gridA2, 'tilt.alarm', { deviceId: 'tilt-07', severity: 'warning' }),
      );
      expect(tilt.state).toBe('raised');
      // A street leader may not approve at all; a city operator needs a step-up; the creator never.
      const byLeader = await h.api('POST', `/api/maintenance-windows/${id}/approve`, { token: leaderA.token });
      expect(byLeader.status).toBe(403);
      const noStep = await h.api('POST', `/api/maintenance-windows/${id}/approve`, { token: cityOp.token });
      expect(noStep.body.error.code).toBe('STEP_UP_REQUIRED');
      await stepUp(cityOp);
      const own = await declare(cityOp, { areaPrefix: AREAS.streetB });
      expect(own.body.window.status).toBe('pending');
      const self = await h.api('POST', `/api/maintenance-windows/${own.body.window.id}/approve`, {
        token: cityOp.token,
      });
      expect(self.status).toBe(403);
      expect(self.body.error.code).toBe('MAINTENANCE_SELF_APPROVAL');
      const ok = await h.api('POST', `/api/maintenance-windows/${id}/approve`, { token: cityOp.token });
      expect(ok.status).toBe(200);
      expect(ok.body.window).toMatchObject({ status: 'approved', approvedBy: cityOp.user.id });
      await audited(cityOp, 'maintenance:approve', 'ok');
      const suppressed = await alarm(
        eventAt('gw-a', AREAS.gridA2, 'tilt.alarm', { deviceId: 'tilt-08', severity: 'warning' }),
      );
      expect(suppressed).toMatchObject({ state: 'suppressed', windowId: id });
      // Both wide windows end here so they silence nothing in the next tests.
      expect((await h.api('POST', `/api/maintenance-windows/${id}/end`, { token: cityOp2.token })).status).toBe(200);
      const withdrawn = await h.api('POST', `/api/maintenance-windows/${own.body.window.id}/end`, {
        token: cityOp.token,
      });
      expect(withdrawn.body.window.status).toBe('ended');
    });

    it('raises a smoke alarm inside a 4-minute device window (marked 维护期间) and suppresses a tilt alarm', async () => {
      await stepUp(leaderA);
      const w = (await declare(leaderA, {
        areaPrefix: AREAS.communityA,
        deviceId: 'smoke-01',
        endsAt: Date.now() + 4 * MIN,
      })) as { status: number; body: { window: { id: string; status: string } } };
      expect(w.status).toBe(200);
      expect(w.body.window.status).toBe('approved');
      const wall = await h.cockpitSocket(cityOp.token);
      const pushed: { id: string; state: string; duringWindowId: string | null }[] = [];
      wall.socket.on('alert', (a: (typeof pushed)[number]) => pushed.push(a));

      const smoke = await alarm(eventAt('gw-a', AREAS.gridA1, 'smoke.alarm'));
      expect(smoke).toMatchObject({ state: 'raised', severity: 'critical', duringWindowId: w.body.window.id });
      // The wall takes over for a new critical raised alert: it arrives there as raised.
      await until(() => pushed.find((a) => a.id === smoke.id && a.state === 'raised'), 'the smoke alert on the wall');
      const history = await h.api('GET', `/api/alerts/${smoke.id}/history`, { token: cityOp.token });
      expect(history.body.history.map((x: { action: string }) => x.action)).toEqual(['raise']);
      expect(history.body.history[0].note).toContain('维护期间');

      const tilt = await alarm(eventAt('gw-a', AREAS.gridA1, 'tilt.alarm', { severity: 'warning' }));
      expect(tilt).toMatchObject({ state: 'suppressed', windowId: w.body.window.id });
    });

    it('ends a window early, only inside one’s area, and audits it', async () => {
      await stepUp(leaderA);
      const w = await declare(leaderA, { areaPrefix: AREAS.gridA2, deviceId: 'tilt-20' });
      const id = w.body.window.id as string;
      const other = await h.api('POST', `/api/maintenance-windows/${id}/end`, { token: leaderB.token });
      expect(other.status).toBe(404);
      await audited(leaderB, 'maintenance:end', 'denied');
      const ended = await h.api('POST', `/api/maintenance-windows/${id}/end`, { token: leaderA.token });
      expect(ended.status).toBe(200);
      expect(ended.body.window).toMatchObject({ status: 'ended', endedBy: leaderA.user.id });
      await audited(leaderA, 'maintenance:end', 'ok');
      const again = await h.api('POST', `/api/maintenance-windows/${id}/end`, { token: leaderA.token });
      expect(again.body.error.code).toBe('MAINTENANCE_OVER');
      const after = await alarm(
        eventAt('gw-a', AREAS.gridA2, 'tilt.alarm', { deviceId: 'tilt-20', severity: 'warning' }),
      );
      expect(after.state).toBe('raised');
    });

    it('lists windows inside the caller’s area (and those covering it), never another street’s', async () => {
      const list = async (u: User, q = '') =>
        (await h.api('GET', `/api/maintenance-windows${q}`, { token: u.token })).body.windows as {
          id: string;
          areaPrefix: string;
          status: string;
        }[];
      const a = await list(leaderA);
      expect(a.length).toBeGreaterThan(0);
      expect(a.every((w) => w.areaPrefix.startsWith(AREAS.streetA) || AREAS.streetA.startsWith(w.areaPrefix))).toBe(
        true,
      );
      const b = await list(leaderB);
      expect(b.some((w) => w.areaPrefix.startsWith(AREAS.streetA))).toBe(false);
      expect(b.map((w) => w.areaPrefix)).toEqual([AREAS.streetB]);
      const city = await list(cityOp);
      expect(city.length).toBe(a.length + b.length);
      // current=true: only windows not over yet (the 4-minute device window).
      const current = await list(leaderA, '?current=true');
      expect(current.length).toBeGreaterThan(0);
      expect(current.every((w) => w.status !== 'ended')).toBe(true);
    });
  });
}
