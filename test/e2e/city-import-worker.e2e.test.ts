import { realisticCity, writeSyntheticCity } from '@linli/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProduct } from '../helpers/e2e.js';
import { startTestHub } from '../helpers/hub-fixture.js';
import { untilAsync } from '../helpers/processes.js';

/**
 * A 15,000-grid city is read and validated on a worker thread: while the
 * admin page's import is in its validation stage (seconds of CPU), the same
 * hub answers /healthz and the job's own progress polls. On the main thread
 * nothing could observe the validation stage at all: it runs without yielding.
 * The dry run is audited (who looked at which file).
 */
beforeAll(() => {
  // The worker runs the built JavaScript (dashboard/dist/city/city-import-worker.js): build it from this tree.
  buildProduct();
}, 300_000);

describe('a large city import off the event loop', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  let admin: { token: string };
  beforeAll(async () => {
    h = await startTestHub({ city: 'none' });
    admin = await h.user('city.admin', 'admin', '349900');
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers /healthz while it validates a 15,000-grid city', async () => {
    const [areas] = await writeSyntheticCity(realisticCity(), 'geojson', { crs: 'WGS84' });
    const res = await fetch(`${h.url}/api/city/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'x-filename': encodeURIComponent(areas!.name) },
      body: areas!.data,
    });
    const { upload } = (await res.json()) as { upload: string };
    expect(res.status).toBe(200);
    const started = await h.api('POST', '/api/city/imports', {
      token: admin.token,
      body: { uploads: [upload], name: '合成市', crs: 'WGS84', dryRun: true },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    type Job = {
      state: string;
      progress: { stage: string; step: string } | null;
      report?: { ok: boolean; counts: Record<string, number> };
    };
    const job = async () =>
      (await h.api('GET', `/api/city/imports/${started.body.job}`, { token: admin.token })).body.job as Job;
    // Poll until the validation is seen under way; a job that ends first fails the test (it was never seen).
    let seen = await job();
    while (seen.state === 'running' && seen.progress?.stage !== 'validate') seen = await job();
    expect(seen.state, JSON.stringify(seen)).toBe('running');
    expect(['codes', 'shapes', 'families', 'overlaps']).toContain(seen.progress!.step);
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
    const done = await untilAsync(
      async () => {
        const j = await job();
        return j.state !== 'running' ? j : null;
      },
      'the import to finish',
      180_000,
    );
    expect(done.state).toBe('done');
    expect(done.report).toMatchObject({
      ok: true,
      counts: { grid: 15_000, community: 1_500, street: 150, district: 10 },
    });
  }, 400_000);
});
