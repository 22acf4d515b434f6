import { expect, it } from 'vitest';
import { AREAS } from '../../../test/helpers/hub-fixture.js';
import { describeHubOnEachDialect } from '../insider/insider-hub.js';
import { phone, pointIn } from './field-fixtures.js';

/**
 * Issue 19, patrols at the hub: a check-in beyond its point's radius is
 * refused, one within it counts towards the evaluation's check-in coverage
 * (per worker and per grid), and the worker is shown to overseers only while
 * on patrol, with the real track on the cockpit's patrol layer.
 */
describeHubOnEachDialect('field patrol check-ins over the REST API', (ctx) => {
  it('refuses a check-in 300 m from its point, accepts one at 20 m, and shows the worker only while on patrol', async () => {
    const { h } = ctx;
    const planner = await h.user(`plan-${ctx.dialect}`, 'community_worker', AREAS.communityA);
    const leader = await h.user(`lead-${ctx.dialect}`, 'street_leader', AREAS.streetA);
    const worker = await h.user(`gw-pat-${ctx.dialect}`, 'grid_worker', AREAS.gridA1);
    const made = await h.api('POST', '/api/field/routes', {
      token: planner.token,
      body: {
        gridId: AREAS.gridA1,
        name: '日常巡查',
        points: [
          { name: '东门', ...pointIn(AREAS.gridA1) },
          { name: '北门', ...pointIn(AREAS.gridA1, 40) },
        ],
      },
    });
    expect(made.status).toBe(200);
    const route = made.body.route as { id: string; points: { id: string }[] };
    // The grid worker may read it but not define one.
    expect((await h.api('GET', '/api/field/routes', { token: worker.token })).body.routes.length).toBeGreaterThan(0);
    const denied = await h.api('POST', '/api/field/routes', { token: worker.token, body: made.body.route });
    expect(denied.status).toBe(403);

    const p = phone();
    const patrolId = `patrol-${p.deviceId.slice(4)}`;
    const r = await h.api('POST', '/api/field/actions', {
      token: worker.token,
      body: {
        deviceId: p.deviceId,
        actions: [
          p.action('patrol.start', { patrolId, routeId: route.id, position: pointIn(AREAS.gridA1) }),
          p.action('patrol.checkin', {
            patrolId,
            pointId: route.points[0]!.id,
            position: pointIn(AREAS.gridA1, 300),
          }),
          p.action('patrol.checkin', { patrolId, pointId: route.points[0]!.id, position: pointIn(AREAS.gridA1, 20) }),
          p.action('patrol.track', {
            patrolId,
            points: [
              { at: Date.now() - 2000, ...pointIn(AREAS.gridA1, 5) },
              { at: Date.now() - 1000, ...pointIn(AREAS.gridA1, 10) },
            ],
          }),
          p.action('patrol.visit', { patrolId, placeId: 'hh-0001', outcome: '正常' }),
        ],
      },
    });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
      'applied',
      'refused',
      'applied',
      'applied',
      'applied',
    ]);
    expect(r.body.results[1]).toMatchObject({ code: 'FIELD_TOO_FAR' });
    expect(r.body.results[1].data.distanceM).toBeGreaterThanOrEqual(290);
    const seen = await h.api('GET', '/api/field/workers', { token: leader.token });
    expect(seen.body.workers.map((w: { userId: string }) => w.userId)).toContain(worker.user.id);
    // A grid worker does not oversee colleagues.
    expect((await h.api('GET', '/api/field/workers', { token: worker.token })).status).toBe(403);
    const patrols = (await h.api('GET', '/api/field/patrols', { token: leader.token })).body.patrols as {
      id: string;
      track: unknown[];
      checkins: unknown[];
    }[];
    expect(patrols.find((x) => x.id === patrolId)).toMatchObject({ track: [{}, {}], checkins: [{}] });
    // Check-in coverage for the evaluation: one of the route's two points visited, by the worker and in the grid.
    const figures = (await h.api('GET', '/api/field/review', { token: leader.token })).body as {
      workers: { key: string; points: number; visited: number }[];
      grids: { key: string; points: number; visited: number }[];
    };
    expect(figures.workers.find((x) => x.key === worker.user.id)).toMatchObject({ points: 2, visited: 1 });
    const grid = figures.grids.find((x) => x.key === AREAS.gridA1)!;
    expect(grid.visited).toBe(1);
    expect(grid.points).toBeGreaterThanOrEqual(2);

    // The cockpit's patrol layer draws the real track instead of the demo one for that grid, to overseers only.
    const layer = (await h.api('GET', '/api/patrols', { token: leader.token })).body as {
      tracks: { grid: string; real?: boolean; path: unknown[] }[];
    };
    const inGrid = layer.tracks.filter((t) => t.grid === AREAS.gridA1);
    expect(inGrid.length).toBeGreaterThan(0);
    expect(inGrid.every((t) => t.real === true)).toBe(true);
    const asWorker = (await h.api('GET', '/api/patrols', { token: worker.token })).body as {
      tracks: { real?: boolean }[];
    };
    expect(asWorker.tracks.some((t) => t.real)).toBe(false);

    const stop = await h.api('POST', '/api/field/actions', {
      token: worker.token,
      body: { deviceId: p.deviceId, actions: [p.action('patrol.stop', { patrolId })] },
    });
    expect(stop.body.results[0].status).toBe('applied');
    const after = await h.api('GET', '/api/field/workers', { token: leader.token });
    expect(after.body.workers.map((w: { userId: string }) => w.userId)).not.toContain(worker.user.id);
  });
});
