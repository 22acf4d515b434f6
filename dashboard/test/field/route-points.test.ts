import { expect, it } from 'vitest';
import { AREAS } from '../../../test/helpers/hub-fixture.js';
import { describeHubOnEachDialect } from '../insider/insider-hub.js';
import { pointIn } from './field-fixtures.js';

/**
 * The hub's own check on a route's points, whatever page or script sent
 * them: the cockpit's editor refuses a click outside the grid, but the hub
 * allows 100 m (a gate on the boundary road) and no more, and says which
 * point and how far, in Chinese first.
 */
describeHubOnEachDialect('patrol route points against their grid', (ctx) => {
  it('refuses a route with a point kilometres outside its grid, naming the point and the distance, and stores nothing', async () => {
    const { h } = ctx;
    const planner = await h.user(`plan-pts-${ctx.dialect}`, 'community_worker', AREAS.communityA);
    const post = (points: { name: string; lng: number; lat: number }[]) =>
      h.api('POST', '/api/field/routes', {
        token: planner.token,
        body: { gridId: AREAS.gridA1, name: '边界巡查', points },
      });
    const before = (await h.api('GET', '/api/field/routes', { token: planner.token })).body.routes.length as number;
    const far = await post([
      { name: '东门', ...pointIn(AREAS.gridA1) },
      { name: '河对岸', ...pointIn(AREAS.gridA1, 3000) },
    ]);
    expect(far.status).toBe(400);
    expect(far.body.error.code).toBe('FIELD_TOO_FAR');
    expect(far.body.error.message).toMatch(/^签到点 2「河对岸」在网格外 \d+ 米/);
    expect((await h.api('GET', '/api/field/routes', { token: planner.token })).body.routes).toHaveLength(before);
  });
});
