import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pointInRing, ringCentroid } from '@linli/geo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCityTree } from '../../dashboard/src/city/demo-city-source.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT } from '../helpers/processes.js';

/**
 * Patrol routes defined in the cockpit (docs/field.md, Routes), in real
 * Chromium against a real hub: a community worker (second factor answered at
 * login) picks a grid, draws a three-point route by clicking the map, a click
 * outside the grid is refused on the page, the route is saved and the hub's
 * GET /api/field/routes (what the phone reads) has the clicked points; then
 * it is retired. A city operator, who may not plan routes, sees no editor.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const city = demoCityTree();
const ring = city.areas.find((a) => a.code === AREAS.gridA1)!.ring!;

/** The page's DOM, as far as this test reads it (the tests compile without the DOM library). */
declare const document: { querySelector(s: string): { textContent: string | null } | null };

declare const window: {
  linli: {
    state: { ready: boolean; area: string | null };
    map: {
      project(p: [number, number]): { x: number; y: number };
      unproject(p: [number, number]): { lng: number; lat: number };
      getCanvas(): { getBoundingClientRect(): { left: number; top: number } };
      getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
      getZoom(): number;
    };
  };
};

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildProduct();
  h = await startTestHub();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function openCockpit(token: string, area: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${h.url}/?area=${area}#key=${token}`);
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
  return page;
}

/** Clicks the map at a position; returns where the page says the clicked pixel is (what the route should hold). */
async function clickMap(page: Page, at: [number, number]): Promise<{ lng: number; lat: number }> {
  const px = await page.evaluate((p) => {
    const map = window.linli.map;
    const box = map.getCanvas().getBoundingClientRect();
    const xy = map.project(p);
    const x = Math.round(xy.x);
    const y = Math.round(xy.y);
    return { page: { x: box.left + x, y: box.top + y }, lngLat: map.unproject([x, y]) };
  }, at);
  await page.mouse.click(px.page.x, px.page.y);
  return { lng: px.lngLat.lng, lat: px.lngLat.lat };
}

/** Metres between two positions (equirectangular; exact enough for a few metres). */
const metres = (a: { lng: number; lat: number }, b: { lng: number; lat: number }) =>
  Math.hypot((a.lng - b.lng) * 111_320 * Math.cos((a.lat * Math.PI) / 180), (a.lat - b.lat) * 110_574);

describe('patrol routes in the cockpit', () => {
  it('a community worker draws, saves and retires a route; a city operator sees no editor', async () => {
    const planner = await h.user('plan.route', 'community_worker', AREAS.communityA);
    expect(planner.totpSecret).toBeTruthy(); // logged in with the second factor
    const page = await openCockpit(planner.token, AREAS.communityA);
    const editor = page.locator('#route-editor');
    await editor.waitFor();
    // Within the community: pick the grid, then draw. Starting a route shows the grid on the map, whole.
    const communityZoom = await page.evaluate(() => window.linli.map.getZoom());
    await page.selectOption('#route-grid', AREAS.gridA1);
    await page.click('#route-new');
    await page.locator('#route-name').fill('夜间巡查');
    const view = await page.evaluate(() => {
      const map = window.linli.map;
      const b = map.getBounds();
      return { zoom: map.getZoom(), w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth() };
    });
    expect(view.zoom).toBeGreaterThan(communityZoom);
    for (const [x, y] of ring) expect(x >= view.w && x <= view.e && y >= view.s && y <= view.n).toBe(true);

    const [cx, cy] = ringCentroid(ring);
    const toward = (i: number): [number, number] => [(cx + ring[i]![0]) / 2, (cy + ring[i]![1]) / 2];
    const targets: [number, number][] = [toward(0), [cx, cy], toward(2)];
    for (const p of targets) expect(pointInRing(p[0], p[1], ring)).toBe(true);
    const clicked: { lng: number; lat: number }[] = [];
    for (const [i, p] of targets.entries()) {
      clicked.push(await clickMap(page, p));
      await page.locator('#route-points input').nth(i).waitFor();
    }
    const names = page.locator('#route-points input');
    expect(await Promise.all([0, 1, 2].map((i) => names.nth(i).inputValue()))).toEqual([
      '签到点1',
      '签到点2',
      '签到点3',
    ]);

    // A click just beyond the grid's edge (on the map, beside it) is refused on the page and adds nothing.
    const [ax, ay] = ring[0]!;
    const [bx, by] = ring[1]!;
    const mid: [number, number] = [(ax + bx) / 2, (ay + by) / 2];
    const outside: [number, number] = [mid[0] + (mid[0] - cx) * 0.08, mid[1] + (mid[1] - cy) * 0.08];
    expect(pointInRing(outside[0], outside[1], ring)).toBe(false);
    await clickMap(page, outside);
    await page.waitForFunction(() => document.querySelector('#route-msg')?.textContent?.includes('不在网格'));
    expect(await page.locator('#route-points input').count()).toBe(3);

    // Undo the last point and place it again; rename the middle one.
    await page.click('#route-undo');
    expect(await page.locator('#route-points input').count()).toBe(2);
    clicked[2] = await clickMap(page, targets[2]!);
    await page.locator('#route-points input').nth(2).waitFor();
    await page.locator('#route-points input[data-point="2"]').fill('小区北门');
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-route-editor.png') });
    await page.click('#route-save');
    const saved = page.locator('#route-list li[data-route]');
    await saved.waitFor();
    expect(await saved.textContent()).toContain('夜间巡查');

    // What the phone reads: the route with the clicked points, in order, within a few metres.
    const got = await h.api('GET', '/api/field/routes', { token: planner.token });
    expect(got.status).toBe(200);
    const routes = got.body.routes as {
      id: string;
      gridId: string;
      name: string;
      points: { name: string; lng: number; lat: number }[];
    }[];
    expect(routes.map((r) => [r.gridId, r.name])).toEqual([[AREAS.gridA1, '夜间巡查']]);
    expect(routes[0]!.points.map((p) => p.name)).toEqual(['签到点1', '小区北门', '签到点3']);
    routes[0]!.points.forEach((p, i) => expect(metres(p, clicked[i]!)).toBeLessThan(3));
    routes[0]!.points.forEach((p, i) =>
      expect(metres(p, { lng: targets[i]![0], lat: targets[i]![1] })).toBeLessThan(5),
    );

    // Retire, confirmed inline: gone from the page and from the hub.
    await saved.locator('.route-retire').click();
    await saved.locator('.route-retire-confirm').click();
    await saved.waitFor({ state: 'detached' });
    const after = await h.api('GET', '/api/field/routes', { token: planner.token });
    expect(after.body.routes).toEqual([]);

    // A refusal from the hub in words: a route retired elsewhere while the page still lists it.
    const other = await h.api('POST', '/api/field/routes', {
      token: planner.token,
      body: {
        gridId: AREAS.gridA1,
        name: '白班',
        points: [{ name: '东门', lng: targets[1]![0], lat: targets[1]![1] }],
      },
    });
    expect(other.status).toBe(200);
    await page.selectOption('#route-grid', AREAS.gridA2);
    await page.selectOption('#route-grid', AREAS.gridA1);
    const stale = page.locator(`#route-list li[data-route="${other.body.route.id}"]`);
    await stale.locator('.route-retire').click();
    expect((await h.api('DELETE', `/api/field/routes/${other.body.route.id}`, { token: planner.token })).status).toBe(
      200,
    );
    await stale.locator('.route-retire-confirm').click();
    await page.waitForFunction(() => document.querySelector('#route-msg')?.textContent?.includes('NOT_FOUND'));
    expect(await page.locator('#route-msg').textContent()).toMatch(/^网格或路线不在您的辖区内，或已撤销 \(NOT_FOUND: /);
    await stale.waitFor({ state: 'detached' });
    await page.close();

    // A city operator (no field_plan) at the same grid: no editor at all.
    const operator = await h.user('duty.route', 'city_operator', AREAS.city);
    const op = await openCockpit(operator.token, AREAS.gridA1);
    await op.waitForFunction(() => window.linli.state.area === '341302001001001');
    expect(await op.locator('#field-panel').count()).toBe(1);
    expect(await op.locator('#route-editor, #route-new').count()).toBe(0);
    await op.close();
  });
});
