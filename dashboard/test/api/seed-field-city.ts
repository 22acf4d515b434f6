import { expect } from 'vitest';
import { AREAS, type startTestHub } from '../../../test/helpers/hub-fixture.js';
import { geojsonCity } from '../../../test/helpers/city-files.js';
import { untilAsync } from '../../../test/helpers/processes.js';
import { JPEG, phone, pointIn } from '../field/field-fixtures.js';

type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * Field work with something in every list of its GET routes: a patrol route,
 * an open patrol with a track (so its worker is shown and suggested), a
 * matter with a photo dispatched back to the reporting worker (a task).
 * `worker` holds field_work and field_plan (community_worker); `op` dispatches.
 */
export async function seedField(h: TestHub, worker: string, op: string): Promise<{ photoId: string }> {
  const made = await h.api('POST', '/api/field/routes', {
    token: worker,
    body: {
      gridId: AREAS.gridA1,
      name: '日常巡查',
      points: [
        { name: '东门', ...pointIn(AREAS.gridA1) },
        { name: '北门', ...pointIn(AREAS.gridA1, 40) },
      ],
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  const route = made.body.route as { id: string; points: { id: string }[] };
  const p = phone();
  const patrolId = `patrol-${p.deviceId.slice(4)}`;
  const r = await h.api('POST', '/api/field/actions', {
    token: worker,
    body: {
      deviceId: p.deviceId,
      actions: [
        p.action('patrol.start', { patrolId, routeId: route.id, position: pointIn(AREAS.gridA1) }),
        p.action('patrol.checkin', { patrolId, pointId: route.points[0]!.id, position: pointIn(AREAS.gridA1, 5) }),
        p.action('patrol.track', {
          patrolId,
          points: [
            { at: Date.now() - 2000, ...pointIn(AREAS.gridA1, 5) },
            { at: Date.now() - 1000, ...pointIn(AREAS.gridA1, 10) },
          ],
        }),
        p.action('matter.report', {
          category: '环境卫生',
          description: '垃圾桶满溢',
          position: pointIn(AREAS.gridA1, 20),
          photos: [{ contentType: 'image/jpeg', data: JPEG }],
        }),
      ],
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const statuses = (r.body.results as { status: string }[]).map((x) => x.status);
  expect(statuses).toEqual(['applied', 'applied', 'applied', 'applied']);
  const matterId = r.body.results[3].data.alertId as string;
  const me = (await h.api('GET', '/api/me', { token: worker })).body.user.id as string;
  const sent = await h.api('POST', `/api/alerts/${matterId}/dispatch`, {
    token: op,
    body: { assignee: { type: 'user', id: me } },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const tasks = await h.api('GET', '/api/field/tasks', { token: worker });
  const task = (tasks.body.tasks as { id: string; photos: { id: string }[] }[]).find((t) => t.id === matterId);
  expect(task?.photos.length).toBe(1);
  return { photoId: task!.photos[0]!.id };
}

/**
 * A second city version next to the demo one, imported over REST as the admin
 * page does: a synthetic city (滁州市) that lacks every demo area, so its diff
 * and its orphans (the demo city's users and gateways) are not empty.
 */
export async function seedCityVersion(h: TestHub, admin: string): Promise<{ versionId: number; jobId: string }> {
  const res = await fetch(`${h.url}/api/city/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'x-filename': 'chuzhou.geojson' },
    body: geojsonCity(),
  });
  const up = (await res.json()) as { upload: string };
  expect(res.status, JSON.stringify(up)).toBe(200);
  const started = await h.api('POST', '/api/city/imports', {
    token: admin,
    body: { uploads: [up.upload], name: '滁州市（测试）' },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const jobId = started.body.job as string;
  const job = await untilAsync(
    async () => {
      const j = (await h.api('GET', `/api/city/imports/${jobId}`, { token: admin })).body.job;
      return j.state !== 'running' && j;
    },
    'the city import job to finish',
    60_000,
  );
  expect(job.state, JSON.stringify(job)).toBe('done');
  return { versionId: job.versionId as number, jobId };
}
