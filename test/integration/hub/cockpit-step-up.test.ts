import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../dashboard/src/auth/totp.js';
import { type Api, ApiFailure } from '../../../dashboard/web/src/api.js';
import { unmaskRecord } from '../../../dashboard/web/src/step-up.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';

type Hub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * The cockpit's unmask flow against a real hub: the first answer is
 * STEP_UP_REQUIRED, the person is asked for the code (again after a wrong
 * one), and the record comes in full; cancelling leaves nothing shown.
 */
describe('cockpit: asks for the TOTP code when the hub wants a step-up', () => {
  let h: Hub;
  let worker: Awaited<ReturnType<Hub['user']>>;
  let api: Pick<Api, 'post'>;
  let ids: string[];

  beforeAll(async () => {
    h = await startTestHub({ demoRegister: true });
    const admin = await h.user('admin.city', 'admin', AREAS.city);
    worker = await h.user('worker.a', 'community_worker', AREAS.communityA);
    // The same shape of failure the cockpit's own createApi throws, over the test hub's absolute URL.
    api = {
      post: async <T>(path: string, body: unknown) => {
        const r = await h.api('POST', path, { token: worker.token, body });
        if (r.status !== 200) throw new ApiFailure(r.status, r.body.error.code, r.body.error.message);
        return r.body as T;
      },
    };
    const next = (secret: string) => totpCode(secret, Date.now() + 30_000);
    expect(
      (await h.api('POST', '/api/step-up', { token: admin.token, body: { totp: next(admin.totpSecret!) } })).status,
    ).toBe(200);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const g = await h.api('PUT', `/api/users/${worker.user.id}/unmask-grant`, { token: admin.token, body: { until } });
    expect(g.status).toBe(200);
    const list = await h.api('GET', '/api/population/records?limit=5', { token: worker.token });
    ids = (list.body.records as { id: string }[]).map((r) => r.id);
  }, 120_000);
  afterAll(() => h.stop());

  it('cancelling the prompt shows nothing and sends no code', async () => {
    const asked: (string | null)[] = [];
    const r = unmaskRecord(api, ids[0]!, 'welfare_visit', async (problem) => {
      asked.push(problem);
      return null;
    });
    await expect(r).rejects.toMatchObject({ code: 'STEP_UP_CANCELLED' });
    expect(asked).toEqual([null]);
  });

  it('asks, asks again after a wrong code with the hub’s message, then shows the record in full', async () => {
    const asked: (string | null)[] = [];
    const r = await unmaskRecord<{ masked: boolean; idNumber: string }>(api, ids[0]!, 'emergency', async (problem) => {
      asked.push(problem);
      return asked.length === 1 ? '000000' : totpCode(worker.totpSecret!, Date.now() + 30_000);
    });
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBeNull();
    expect(asked[1]).toContain('动态口令错误');
    expect(r.record.masked).toBe(false);
    expect(r.record.idNumber).toMatch(/^\d{17}[\dX]$/);
    // Fresh now: the next record comes without asking.
    const again = await unmaskRecord(api, ids[1]!, 'emergency', async () => {
      throw new Error('asked although the step-up is fresh');
    });
    expect(again.record).toBeTruthy();
  });
});
