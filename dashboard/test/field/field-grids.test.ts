import { expect, it } from 'vitest';
import { AREAS } from '../../../test/helpers/hub-fixture.js';
import { describeHubOnEachDialect } from '../insider/insider-hub.js';
import { phone, pointIn } from './field-fixtures.js';

/** Issue 19, the phone's map: /api/field/grids gives the outlines of the worker's area and of their tasks' grids. */
describeHubOnEachDialect('field grids over the REST API', (ctx) => {
  it('gives the phone the outlines of its area’s grids and of its tasks’ grids, nothing else', async () => {
    const { h } = ctx;
    const op = await h.user(`op-grids-${ctx.dialect}`, 'city_operator', AREAS.city);
    const worker = await h.user(`gw-grids-${ctx.dialect}`, 'grid_worker', AREAS.gridA1);
    const mine = await h.api('GET', '/api/field/grids', { token: worker.token });
    expect(mine.status).toBe(200);
    expect(mine.body.grids.map((g: { code: string }) => g.code)).toEqual([AREAS.gridA1]);
    expect(mine.body.grids[0].ring.length).toBeGreaterThanOrEqual(3);
    // A matter in another street, dispatched to this worker: its grid is drawn too.
    const other = await h.user(`gw-grids-b-${ctx.dialect}`, 'grid_worker', AREAS.gridB1);
    const p = phone();
    const r = await h.api('POST', '/api/field/actions', {
      token: other.token,
      body: {
        deviceId: p.deviceId,
        actions: [
          p.action('matter.report', {
            category: '其他',
            description: '跨街道',
            position: { ...pointIn(AREAS.gridB1), source: 'pin' },
          }),
        ],
      },
    });
    expect(r.body.results[0].status).toBe('applied');
    const alertId = r.body.results[0].data.alertId as string;
    const sent = await h.api('POST', `/api/alerts/${alertId}/dispatch`, {
      token: op.token,
      body: { assignee: { type: 'user', id: worker.user.id } },
    });
    expect(sent.status).toBe(200);
    const after = await h.api('GET', '/api/field/grids', { token: worker.token });
    expect(after.body.grids.map((g: { code: string }) => g.code)).toEqual([AREAS.gridA1, AREAS.gridB1]);
    const task = (await h.api('GET', '/api/field/tasks', { token: worker.token })).body.tasks.find(
      (t: { id: string }) => t.id === alertId,
    );
    expect(task.matter.positionSource).toBe('pin');
    // Overseers without field work have no phone map.
    expect((await h.api('GET', '/api/field/grids', { token: op.token })).status).toBe(403);
  });
});
