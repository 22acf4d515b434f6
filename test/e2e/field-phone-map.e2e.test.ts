import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct, PHONE } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, untilAsync } from '../helpers/processes.js';

/**
 * The phone's small maps in Chromium with mobile emulation (375×812, touch):
 * with no position fix the worker taps the grid's outline to place the
 * matter's pin (a tap outside the grid is refused on the phone), the hub
 * assigns the grid and records the position as pinned, and the task card
 * then draws the grid with the point. No map library is loaded.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

declare const localStorage: { setItem(key: string, value: string): void };

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let page: Page;
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

describe('grid maps on the phone', () => {
  it('pins a matter on the grid map without a fix, and draws the task’s grid and point', async () => {
    const worker = await h.user('zhao.a1', 'grid_worker', AREAS.gridA1);
    const op = await h.user('duty.op', 'city_operator', AREAS.city);
    // No geolocation permission: the phone has no fix, as indoors or with location off.
    const phone = await browser.newContext({
      ...PHONE,
    });
    await phone.addInitScript((token) => localStorage.setItem('linli.field.session', token), worker.token);
    phone.on('request', (r) => requests.push(r.url()));
    page = await phone.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${h.url}/field/`);
    await page.locator('nav').waitFor();

    await page.tap('nav button[data-tab=report]');
    const map = page.locator('form.report svg.grid-map.picker');
    await map.waitFor();
    await page.locator('form.report p.meta[data-source=none]', { hasText: '无法定位' }).waitFor({ timeout: 30_000 });
    const box = (await map.boundingBox())!;
    // The frame's corner lies outside the outline: refused on the phone, nothing pinned.
    await page.touchscreen.tap(box.x + 3, box.y + 3);
    await page.locator('form.report .msg', { hasText: '请点在网格范围内' }).waitFor();
    expect(await page.locator('form.report p.meta').getAttribute('data-source')).toBe('none');
    const poly = (await map.locator('polygon').boundingBox())!;
    await page.touchscreen.tap(poly.x + poly.width / 2, poly.y + poly.height / 2);
    await page.locator('form.report p.meta[data-source=pin]', { hasText: '地图选点' }).waitFor();
    expect(await map.locator('circle.point.pin').count()).toBe(1);
    await page.fill('form.report textarea[name=description]', '井盖缺失');
    await page.screenshot({ path: join(ARTIFACTS, 'field-report-pin.png') });
    await page.tap('form.report button[type=submit]');
    await page.locator('form.report .msg', { hasText: /已提交|已保存/ }).waitFor();

    const matter = await untilAsync(async () => {
      const r = await h.api('GET', '/api/field/matters', { token: op.token });
      return (r.body.matters as { id: string; gridId: string; description: string }[]).find(
        (m) => m.description === '井盖缺失',
      );
    }, 'matter reached the hub');
    // The hub assigned the grid from the pinned position and keeps where the position came from.
    expect(matter.gridId).toBe(AREAS.gridA1);
    const row = await h.store.db.get<{ position_source: string }>(
      'SELECT position_source FROM field_matters WHERE alert_id = ?',
      [matter.id],
    );
    expect(row?.position_source).toBe('pin');
    const history = (await h.api('GET', `/api/alerts/${matter.id}/history`, { token: op.token })).body.history as {
      note: string | null;
    }[];
    expect(history[0]!.note).toContain('地图选点');

    // Dispatched back to the worker: the card shows the grid's outline with the point, and says it was pinned.
    const sent = await h.api('POST', `/api/alerts/${matter.id}/dispatch`, {
      token: op.token,
      body: { assignee: { type: 'user', id: worker.user.id } },
    });
    expect(sent.status).toBe(200);
    await page.tap('nav button[data-tab=tasks]');
    const card = page.locator(`article[data-alert="${matter.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    await card.locator('svg.grid-map polygon').waitFor();
    expect(await card.locator('svg.grid-map circle.point').count()).toBe(1);
    expect(await card.locator('p.meta').textContent()).toContain('地图选点');
    // The point sits inside the drawn outline's box.
    const dot = (await card.locator('svg.grid-map circle.point').boundingBox())!;
    const outline = (await card.locator('svg.grid-map polygon').boundingBox())!;
    expect(dot.x + dot.width / 2).toBeGreaterThan(outline.x);
    expect(dot.x + dot.width / 2).toBeLessThan(outline.x + outline.width);
    expect(dot.y + dot.height / 2).toBeGreaterThan(outline.y);
    expect(dot.y + dot.height / 2).toBeLessThan(outline.y + outline.height);
    await page.screenshot({ path: join(ARTIFACTS, 'field-task-map.png') });
    // A light app: no map library, no tiles.
    expect(requests.filter((r) => /maplibre|deck|\.pbf|area-tiles/i.test(r))).toEqual([]);
    await phone.close();
  });
});
