import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AreaIndex, loadDemoCity, ringCentroid } from '@linli/geo';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../dashboard/src/auth/totp.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct, PHONE } from '../helpers/e2e.js';
import { AREAS, eventAt, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, untilAsync } from '../helpers/processes.js';

/**
 * Issue 19 in real Chromium with mobile emulation: a grid worker's phone
 * (375×812, touch, geolocation overridden, network cut and restored) against
 * a real hub, with the cockpit open on a second page.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const areas = new AreaIndex(loadDemoCity());
const centre = (code: string) => ringCentroid(areas.byCode.get(code)!.ring!);
/** A point `east` metres east of the grid's centre. */
const near = (code: string, east: number) => {
  const [lng, lat] = centre(code);
  return { longitude: lng + east / (111_320 * Math.cos((lat * Math.PI) / 180)), latitude: lat, accuracy: 8 };
};

declare const document: { querySelector(s: string): unknown };
declare const navigator: { serviceWorker: { controller: unknown } };
declare const window: {
  linli: {
    state: { ready: boolean };
    live: { alerts: { get(id: string): { state: string; version: number } | undefined } };
  };
};

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let phone: BrowserContext;
let phonePage: Page;
let cockpit: Page;
let gw: Socket;
let planner: { token: string };
const requests: string[] = [];
const pageErrors: string[] = [];

async function jpeg(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1500, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
}

const waiting = (page: Page) => page.locator('.status').getAttribute('data-waiting');
const cockpitAlert = (id: string) => cockpit.evaluate((i) => window.linli.live.alerts.get(i) ?? null, id);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildProduct();
  h = await startTestHub();
  planner = await h.user('plan.a', 'community_worker', AREAS.communityA);
  gw = await h.gatewaySocket('gw-341302001001', await h.gateway('gw-341302001001', AREAS.communityA));
  browser = await launchChromium();
  phone = await browser.newContext({
    ...PHONE,
    geolocation: near(AREAS.gridA1, 0),
    permissions: ['geolocation'],
  });
  phone.on('request', (r) => requests.push(r.url()));
  phonePage = await phone.newPage();
  phonePage.on('pageerror', (e) => pageErrors.push(String(e)));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
  expect(pageErrors).toEqual([]);
});

describe('grid worker phone in Chromium', () => {
  it('logs in with the second factor, gets a dispatched alert live, accept → arrive → resolve with a photo; the cockpit sees each step', async () => {
    const account = await h.hub.auth.createAccount(
      { username: 'wang.grid', displayName: '王网格', role: 'grid_worker', areaCode: AREAS.gridA1 },
      'test',
      Date.now(),
    );
    const op = await h.user('duty.op', 'city_operator', AREAS.city);
    cockpit = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    cockpit.on('pageerror', (e) => pageErrors.push(String(e)));
    await cockpit.goto(`${h.url}/#key=${op.token}`);
    await cockpit.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

    await phonePage.goto(`${h.url}/field/`);
    await phonePage.fill('input[name=username]', 'wang.grid');
    await phonePage.fill('input[name=password]', account.password);
    await phonePage.tap('form.login button');
    // The role sees personal data: the hub asks for the code, the form shows the field.
    await phonePage.locator('input[name=totp]').waitFor({ state: 'visible' });
    await phonePage.fill('input[name=totp]', totpCode(account.totpSecret!, Date.now()));
    await phonePage.tap('form.login button');
    await phonePage.locator('nav').waitFor();

    const [lng, lat] = centre(AREAS.gridA1);
    const e = eventAt('gw-341302001001', AREAS.gridA1, 'smoke.alarm', {
      location: { lng, lat, gridId: AREAS.gridA1 },
    } as never);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [e] })).toMatchObject({ ok: true });
    const alert = await untilAsync(async () => {
      const r = await h.api('GET', '/api/alerts', { token: op.token });
      return (r.body.alerts as { id: string; firstEventId: string }[]).find((a) => a.firstEventId === e.id);
    }, 'alert raised');
    const userId = (await h.hub.auth.users.credentials('wang.grid'))!.user.id;
    // The cockpit dispatches to the named worker it suggests (the grid's worker, preselected).
    await cockpit.click(`#alerts li[data-alert="${alert.id}"]`);
    const assignee = cockpit.locator(`#alert-detail[data-alert="${alert.id}"] select[name=assignee]`);
    await cockpit.waitForFunction(
      ([i, u]) =>
        (document.querySelector(`#alert-detail[data-alert="${i}"] select[name=assignee]`) as { value?: string } | null)
          ?.value === `user:${u}`,
      [alert.id, userId],
    );
    expect(await assignee.locator('option:checked').textContent()).toContain('王网格');
    await cockpit.click(`#alert-detail[data-alert="${alert.id}"] button[data-action=dispatch]`);

    // Live: the card appears without a reload.
    const card = phonePage.locator(`article[data-alert="${alert.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    await phonePage.screenshot({ path: join(ARTIFACTS, 'field-task.png') });
    const versionAt = async () => (await cockpitAlert(alert.id))?.version ?? 0;

    await card.locator('button', { hasText: '接单' }).tap();
    await cockpit.waitForFunction((i) => window.linli.live.alerts.get(i)?.state === 'acknowledged', alert.id);
    let v = await versionAt();
    await phonePage.locator(`article[data-alert="${alert.id}"] button`, { hasText: '出发' }).tap();
    await cockpit.waitForFunction(
      ([i, n]) => (window.linli.live.alerts.get(i as string)?.version ?? 0) > (n as number),
      [alert.id, v],
    );
    v = await versionAt();
    await phonePage.locator(`article[data-alert="${alert.id}"] button`, { hasText: '到场' }).tap();
    await cockpit.waitForFunction(
      ([i, n]) => (window.linli.live.alerts.get(i as string)?.version ?? 0) > (n as number),
      [alert.id, v],
    );

    const form = phonePage.locator(`article[data-alert="${alert.id}"] form.resolve`);
    await form.locator('textarea[name=note]').fill('厨房油烟误报，已告知住户');
    await form
      .locator('input[name=photos]')
      .setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#808080') });
    await form.locator('button[type=submit]').tap();
    await cockpit.waitForFunction((i) => window.linli.live.alerts.get(i)?.state === 'resolved', alert.id);

    // The cockpit's alert panel tells the field steps in words.
    for (const step of ['出发', '到场', '办结'])
      await cockpit.locator(`#alert-detail[data-alert="${alert.id}"] .history li`, { hasText: step }).first().waitFor();
    const history = (await h.api('GET', `/api/alerts/${alert.id}/history`, { token: op.token })).body.history as {
      action: string;
    }[];
    expect(history.map((x) => x.action)).toEqual(['raise', 'dispatch', 'acknowledge', 'en_route', 'arrive', 'resolve']);
    const photos = await h.store.db.all<{ bytes: Buffer }>('SELECT bytes FROM field_photos WHERE alert_id = ?', [
      alert.id,
    ]);
    expect(photos).toHaveLength(1);
    // Resized on the phone: 2000×1500 became 1280×960.
    expect(await sharp(photos[0]!.bytes).metadata()).toMatchObject({ width: 1280, height: 960, format: 'jpeg' });
  });

  it('a matter with two photos and a patrol with three check-ins, made offline, reach the hub exactly once', async () => {
    const points = [0, 40, 80].map((m, i) => {
      const p = near(AREAS.gridA1, m);
      return { name: `点位${i + 1}`, lng: p.longitude, lat: p.latitude };
    });
    const made = await h.api('POST', '/api/field/routes', {
      token: planner.token,
      body: { gridId: AREAS.gridA1, name: '晨间巡查', points },
    });
    expect(made.status).toBe(200);
    const route = made.body.route as { id: string; points: { id: string }[] };
    // Online once, so the phone has the routes and categories for the dead spot.
    await phonePage.tap('nav button[data-tab=patrol]');
    await phonePage.locator('select[name=route] option', { hasText: '晨间巡查' }).waitFor({ state: 'attached' });
    await phonePage.tap('nav button[data-tab=report]');
    await phonePage.locator('select[name=category] option', { hasText: '环境卫生' }).waitFor({ state: 'attached' });

    await phone.setOffline(true);
    await phonePage.selectOption('select[name=category]', '环境卫生');
    await phonePage.fill('textarea[name=description]', '3号楼北侧垃圾堆放');
    await phonePage.locator('form.report input[name=photos]').setInputFiles([
      { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#a0a0a0') },
      { name: 'b.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#404040') },
    ]);
    await phonePage.tap('form.report button[type=submit]');
    await phonePage.locator('form.report .msg', { hasText: '已保存' }).waitFor();

    await phonePage.tap('nav button[data-tab=patrol]');
    await phonePage.selectOption('select[name=route]', route.id);
    await phonePage.locator('button', { hasText: '开始巡查' }).tap();
    for (const [i, pt] of route.points.entries()) {
      await phone.setGeolocation(near(AREAS.gridA1, [0, 40, 80][i]! + 5));
      const li = phonePage.locator(`li[data-point="${pt.id}"]`);
      await li.locator('button', { hasText: '签到' }).tap();
      await li.locator('button', { hasText: '已签到' }).waitFor();
    }
    await phonePage.locator('button', { hasText: '结束巡查' }).tap();
    await phonePage.locator('button', { hasText: '开始巡查' }).waitFor();
    expect(Number(await waiting(phonePage))).toBeGreaterThanOrEqual(6);
    await phonePage.screenshot({ path: join(ARTIFACTS, 'field-offline.png') });
    // Nothing reached the hub while offline.
    const count = async (sql: string) => Number((await h.store.db.get<{ n: number }>(sql))!.n);
    expect(await count('SELECT count(*) AS n FROM field_matters')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM field_patrols')).toBe(0);

    await phone.setOffline(false);
    await untilAsync(async () => (await waiting(phonePage)) === '0' || null, 'queue drained', 60_000);
    expect(await count('SELECT count(*) AS n FROM field_matters')).toBe(1);
    expect(await count("SELECT count(*) AS n FROM field_photos WHERE purpose = 'matter'")).toBe(2);
    expect(await count('SELECT count(*) AS n FROM field_patrols WHERE ended_at IS NOT NULL')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM field_checkins')).toBe(3);
    const matter = await h.store.db.get<{ grid_id: string; category: string }>(
      'SELECT a.grid_id, m.category FROM alert_alerts a JOIN field_matters m ON m.alert_id = a.id',
    );
    expect(matter).toMatchObject({ grid_id: AREAS.gridA1, category: '环境卫生' });
    // A reload replays nothing: the queue is empty and the hub still has one of each.
    await phonePage.reload();
    await phonePage.locator('nav').waitFor();
    expect(await waiting(phonePage)).toBe('0');
    expect(await count('SELECT count(*) AS n FROM field_matters')).toBe(1);
    // The offline shell: in a dead spot the app still opens (service worker cache), with its last task list.
    await phonePage.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await phone.setOffline(true);
    await phonePage.reload();
    await phonePage.locator('.status.offline').waitFor();
    await phonePage.locator('nav button[data-tab=tasks]').waitFor();
    await phone.setOffline(false);
    await phonePage.locator('.status:not(.offline)').waitFor();
  });

  it('refuses a check-in 300 m from its point and tells the worker', async () => {
    await phone.setGeolocation(near(AREAS.gridA1, 0));
    await phonePage.tap('nav button[data-tab=patrol]');
    await phonePage.selectOption('select[name=route]', { label: '晨间巡查' });
    await phonePage.locator('button', { hasText: '开始巡查' }).tap();
    await phone.setGeolocation(near(AREAS.gridA1, 300));
    await phonePage.locator('li[data-point] button', { hasText: '签到' }).first().tap();
    await phonePage.locator('.notices li', { hasText: '须在 50 米内' }).waitFor({ timeout: 30_000 });
    await phonePage.screenshot({ path: join(ARTIFACTS, 'field-refused.png') });
    // The cockpit lists the worker on patrol and the open matter by category.
    await cockpit.locator('#field-panel .field-workers li', { hasText: '王网格' }).waitFor({ timeout: 30_000 });
    await cockpit.locator('#field-panel .field-matters li[data-category="环境卫生"]').waitFor();
    await cockpit.screenshot({ path: join(ARTIFACTS, 'field-cockpit.png') });
    const refused = await h.store.db.all(
      "SELECT seq FROM field_actions WHERE status = 'refused' AND type = 'patrol.checkin'",
    );
    expect(refused).toHaveLength(1);
  });
});
