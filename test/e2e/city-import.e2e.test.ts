import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import {
  centreOf,
  facilitiesGeojson,
  geojsonCity,
  kmlCity,
  NEW_CITY,
  roadsGeojson,
  shapefileCity,
  syntheticAreas,
} from '../helpers/city-files.js';
import { buildProduct } from '../helpers/e2e.js';
import { eventAt, resetSeqs, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, untilAsync } from '../helpers/processes.js';

/**
 * A city's first day, on SQLite and on PostgreSQL: a hub with no city says so;
 * an administrator uploads a synthetic city (not the demo) as a GBK Shapefile
 * in GCJ-02, a KML and a GeoJSON with facilities and roads, through the admin
 * REST API; an invalid city is refused with its report; a second version
 * shows its diff; the active city reaches enrollment, the cockpit's areas and
 * its coverage; a street leader of the new city logs into the cockpit in
 * Chromium, drills to a grid and sees an event from a gateway enrolled there.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

declare const window: { linli: { state: { ready: boolean; area: string | null } } };

let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildProduct();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
});

describe.each(['sqlite', 'postgres'] as const)('a city imported and activated [%s]', (dialect) => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  let admin: { token: string };
  beforeAll(async () => {
    // Each hub is new: its gateways' sequences start again at 1.
    resetSeqs();
    h = await startTestHub({ dialect, city: 'none' });
    admin = await h.user('city.admin', 'admin', NEW_CITY.city);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const upload = async (name: string, data: string | Uint8Array) => {
    const res = await fetch(`${h.url}/api/city/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'x-filename': encodeURIComponent(name) },
      body: data,
    });
    const body = (await res.json()) as { upload: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body.upload;
  };
  /** Starts an import and polls it to its end, as the admin page's progress bar does. */
  const importFiles = async (uploads: string[], opts: Record<string, unknown>) => {
    const started = await h.api('POST', '/api/city/imports', { token: admin.token, body: { uploads, ...opts } });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    let job: {
      state: string;
      versionId: number;
      report: { ok: boolean; issues: { kind: string; message: string }[] };
      diff: unknown;
    } | null = null;
    await untilAsync(
      async () => {
        const r = await h.api('GET', `/api/city/imports/${started.body.job}`, { token: admin.token });
        job = r.body.job;
        return job!.state !== 'running' || null;
      },
      'the import job to finish',
      60_000,
    );
    expect(job!.state).toBe('done');
    return job!;
  };

  it('starts with no city and says how to import one', async () => {
    expect(h.logLines.some((l) => l.includes('no active city') && l.includes('linli-hub city import'))).toBe(true);
    const tree = await h.api('GET', '/api/area-tree', { token: admin.token });
    expect(tree.body).toMatchObject({ ok: true, city: null, areas: [] });
  });

  it('imports the Shapefile (GBK, GCJ-02) and the KML, refuses an invalid city, activates, and diffs a second version', async () => {
    const shp = await importFiles([await upload('滁州区划.zip', await shapefileCity())], {
      name: '滁州市',
      crs: 'GCJ02',
    });
    expect(shp.report.ok, JSON.stringify(shp.report.issues)).toBe(true);
    expect(shp.diff).toBeNull();
    const kml = await importFiles([await upload('滁州.kml', kmlCity())], { name: '滁州市 KML' });
    expect(kml.report.ok).toBe(true);

    const areas = syntheticAreas();
    areas.push({ ...areas.at(-1)!, code: '341102002002003', name: '重叠网格' });
    const bad = await importFiles([await upload('bad.geojson', geojsonCity(areas))], { name: '有错的城市' });
    expect(bad.report.ok).toBe(false);
    expect(bad.report.issues.map((i) => i.kind)).toContain('overlap');
    const refused = await h.api('POST', `/api/city/versions/${bad.versionId}/activate`, {
      token: admin.token,
      body: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CITY_FAILED_VERSION');

    expect(
      (await h.api('GET', `/api/city/versions/${shp.versionId}/orphans`, { token: admin.token })).body.orphans,
    ).toEqual([]);
    const on = await h.api('POST', `/api/city/versions/${shp.versionId}/activate`, { token: admin.token, body: {} });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const tree = await h.api('GET', '/api/area-tree', { token: admin.token });
    expect(tree.body.city).toEqual({ version: shp.versionId, name: '滁州市', demo: false });
    expect(tree.body.areas.map((a: { name: string }) => a.name)).toContain('醉翁亭社区第1网格');

    // A second version: facilities, roads, and a street renamed; its diff is against the active city.
    const v2 = await importFiles(
      [
        await upload('v2.geojson', geojsonCity(syntheticAreas({ rename: { [NEW_CITY.streetB]: '南谯街道' } }))),
        await upload('facilities.geojson', facilitiesGeojson()),
        await upload('roads.geojson', roadsGeojson()),
      ],
      { name: '滁州市 v2' },
    );
    expect(v2.report.ok).toBe(true);
    expect(v2.diff).toMatchObject({
      renamed: [{ code: NEW_CITY.streetB, from: '清流街道', to: '南谯街道' }],
      added: [],
      removed: [],
    });
    const on2 = await h.api('POST', `/api/city/versions/${v2.versionId}/activate`, { token: admin.token, body: {} });
    expect(on2.status).toBe(200);
    // Coverage of the new city is computed in the background after activation and served once ready.
    await untilAsync(
      async () => {
        const c = await h.api('GET', '/api/coverage', { token: admin.token });
        return (c.body.ready && c.body.grids.length > 0) || null;
      },
      'coverage of the new city',
      60_000,
    );
    const list = await h.api('GET', '/api/city/versions', { token: admin.token });
    expect(list.body.coverage).toMatchObject({ versionId: v2.versionId, state: 'ready' });
  }, 180_000);

  it('a street leader of the new city drills to a grid in Chromium and sees an event from a gateway enrolled there', async () => {
    // Enrollment checks the community against the active city.
    const unknown = await h.api('POST', '/api/enrollment-codes', {
      token: admin.token,
      body: { gatewayId: 'gw-old', areaCode: '341302001001' },
    });
    expect(unknown.status).toBe(400);
    const issued = await h.api('POST', '/api/enrollment-codes', {
      token: admin.token,
      body: { gatewayId: 'gw-zuiweng', areaCode: NEW_CITY.communityA1 },
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const enrolled = await h.api('POST', '/api/enroll', { body: { code: issued.body.code, gatewayId: 'gw-zuiweng' } });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    const gw = await h.gatewaySocket('gw-zuiweng', enrolled.body.token, [
      { id: 'smoke-01', type: 'smoke', gridId: NEW_CITY.gridA1a },
    ]);

    const leader = await h.user('langya.leader', 'street_leader', NEW_CITY.streetA);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(h.url);
    await page.fill('input[name=username]', 'langya.leader');
    await page.fill('input[name=password]', leader.password);
    await page.click('form.login button');
    // A street leader signs in with a password (a second factor is asked only of roles that see personal data).
    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
    expect(await page.locator('#breadcrumb .crumb').allTextContents()).toContain('琅琊街道');
    expect(await page.locator('footer.disclaimer').textContent()).not.toContain('示意数据');
    for (const code of [NEW_CITY.communityA1, NEW_CITY.gridA1a]) {
      await page.click(`#area-panel button[data-area="${code}"]`);
      await page.waitForFunction((c) => window.linli.state.area === c, code);
    }
    expect(await page.locator('#area-panel h2').textContent()).toBe('醉翁亭社区第1网格');
    const [lng, lat] = centreOf(NEW_CITY.gridA1a);
    const e = eventAt('gw-zuiweng', NEW_CITY.gridA1a, 'smoke.alarm', {
      deviceId: 'smoke-01',
      location: { lng, lat, gridId: NEW_CITY.gridA1a },
    } as never);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [e] })).toMatchObject({ ok: true });
    await page.waitForSelector('#feed li .where:has-text("醉翁亭社区第1网格 · smoke-01")', { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, `city-import-${dialect}.png`) });
    await page.close();
  }, 240_000);

  it('the admin page uploads a version with a progress bar, shows its report and diff, lists orphans and activates with a reassignment', async () => {
    // A grid worker of the grid the next version drops: an orphan the page must show before activating.
    await h.user('nanqiao.worker', 'grid_worker', NEW_CITY.gridB2b);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${h.url}/city#key=${admin.token}`);
    await page.waitForSelector('#city-list tr');
    await page.setInputFiles('input[name=files]', {
      name: 'v3.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(geojsonCity(syntheticAreas({ dropGrid: NEW_CITY.gridB2b }))),
    });
    await page.fill('input[name=name]', '滁州市 v3');
    await page.click('#city-form button[type=submit]');
    await page.waitForSelector('#city-report h3.ok', { timeout: 60_000 });
    expect(await page.locator('#city-progress').getAttribute('value')).toBe('1');
    expect(await page.locator('#city-report').textContent()).toContain(`− ${NEW_CITY.gridB2b} 南谯社区第2网格`);
    const row = page.locator('#city-list tr').last();
    const id = Number(await row.getAttribute('data-version'));
    await row.locator('button[data-check]').click();
    await page.waitForSelector(`#city-activate input[data-old="${NEW_CITY.gridB2b}"]`);
    expect(await page.locator('#city-activate').textContent()).toContain('nanqiao.worker');
    await page.fill(`#city-activate input[data-old="${NEW_CITY.gridB2b}"]`, '341102002002001');
    await page.click('#activate-now');
    await page.waitForSelector('#activate-result:has-text("已启用")', { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, `city-admin-${dialect}.png`) });
    await page.close();
    const list = await h.api('GET', '/api/city/versions', { token: admin.token });
    expect(list.body.active).toBe(id);
  }, 240_000);
});
