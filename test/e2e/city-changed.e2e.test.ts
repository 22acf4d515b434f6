import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCityFiles } from '../../dashboard/src/city/demo-city-source.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';
import { untilAsync } from '../helpers/processes.js';

/**
 * Open pages learn that another city version became active: a cockpit shows
 * 城市数据已更新 with a reload (its area tree is the old version's until then),
 * a wall reloads by itself at the end of a tour step. The message is the
 * contract's `city:changed`, checked on both sides.
 */
declare const window: { linli: { state: { ready: boolean } }; beforeCityChange?: boolean };

let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  buildProduct();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
});

describe('a new active city reaches open cockpits and walls', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    h = await startTestHub();
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('request', (r) => requests.push(r.url()));
    return page;
  };
  const ready = (page: Page) =>
    page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

  it('a cockpit shows 城市数据已更新 and reloads on request; a wall reloads at the end of its tour step', async () => {
    const admin = await h.user('city.admin', 'admin', AREAS.city);
    const leader = await h.user('tuohe.leader', 'street_leader', AREAS.streetA);
    const operator = await h.user('wall.operator', 'city_operator', AREAS.city);

    const cockpit = await newPage();
    await cockpit.goto(h.url);
    await cockpit.fill('input[name=username]', 'tuohe.leader');
    await cockpit.fill('input[name=password]', leader.password);
    await cockpit.click('form.login button');
    await ready(cockpit);
    const wall = await newPage();
    await wall.goto(`${h.url}/wall?tour=2&hold=4#key=${operator.token}`);
    await ready(wall);
    await wall.evaluate(() => (window.beforeCityChange = true));
    expect(await cockpit.locator('#city-changed').count()).toBe(0);

    // The demo city again, as a second version (same areas: nobody is orphaned), activated through REST.
    const uploads: string[] = [];
    for (const f of demoCityFiles()) {
      const res = await fetch(`${h.url}/api/city/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'x-filename': encodeURIComponent(f.name) },
        body: f.data,
      });
      expect(res.status).toBe(200);
      uploads.push(((await res.json()) as { upload: string }).upload);
    }
    const started = await h.api('POST', '/api/city/imports', {
      token: admin.token,
      body: {
        uploads,
        name: '宿州市 第二版',
        mapping: { code: 'code', name: 'name', facilityKind: 'kind', facilityName: 'name' },
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const job = await untilAsync(async () => {
      const j = (await h.api('GET', `/api/city/imports/${started.body.job}`, { token: admin.token })).body.job;
      return j.state !== 'running' ? j : null;
    }, 'the import to finish');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const on = await h.api('POST', `/api/city/versions/${job.versionId}/activate`, { token: admin.token, body: {} });
    expect(on.status, JSON.stringify(on.body)).toBe(200);

    const banner = cockpit.locator('#city-changed');
    await banner.waitFor({ timeout: 60_000 });
    expect(await banner.textContent()).toContain('城市数据已更新');
    expect(await banner.textContent()).toContain(`版本 ${job.versionId}`);
    await cockpit.click('#city-changed-reload');
    await ready(cockpit);
    expect(await cockpit.locator('#city-changed').count()).toBe(0);

    // The wall has no one to press reload: it reloads itself (the marker set before is gone).
    await wall.waitForFunction(
      () => window.beforeCityChange === undefined && window.linli?.state.ready === true,
      null,
      {
        timeout: 120_000,
      },
    );
    await cockpit.close();
    await wall.close();
  }, 400_000);
});
