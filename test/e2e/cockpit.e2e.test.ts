import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ringCentroid } from '@linli/geo';
import { demoCityTree } from '../../dashboard/src/city/demo-city-source.js';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../dashboard/src/auth/totp.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, eventAt, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, until } from '../helpers/processes.js';

/**
 * The cockpit's views in real Chromium against a real hub on loopback:
 * drill city → grid and back, deep links, an alarm handled from the UI with
 * the map symbol following its state, a street leader's socket carrying
 * nothing of another street, the wall's tour and takeover, the review's
 * PNG and CSV exports, and nothing loaded from outside this machine.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const city = demoCityTree();
const centre = (code: string) => ringCentroid(city.areas.find((a) => a.code === code)!.ring!);

// The page's globals, as dashboard/web/src/shell.ts declares them (typed loosely here).
/** The page's DOM, as far as these tests read it (the tests compile without the DOM library). */
declare const document: {
  querySelector(s: string): { complete: boolean; naturalWidth: number; naturalHeight: number } | null;
};
declare const window: {
  linli: {
    state: Record<string, unknown> & { ready: boolean; area: string | null; alerts: Record<string, string> };
    stage: {
      recoveries: number;
      overlay: { pickObject(o: { x: number; y: number; radius: number }): { layer?: { id: string } } | null };
      layerById(id: string): { props: { getFillColor: (a: unknown) => number[] } } | undefined;
    };
    live: { alerts: { get(id: string): unknown } };
    map: {
      project(p: [number, number]): { x: number; y: number };
      queryRenderedFeatures(o: { layers: string[] }): unknown[];
    };
  };
};

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let operator: { password: string; token: string };
let leader: { token: string; totpSecret: string | null };
let gwA: Socket;
let gwB: Socket;
const requests: string[] = [];
const pages: Page[] = [];
/** Uncaught errors and deck.gl/WebGL errors of every page: a layer that fails to draw must fail the test. */
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on(
    'console',
    (m) => m.type() === 'error' && /deck|luma|WebGL|shader/i.test(m.text()) && pageErrors.push(m.text()),
  );
  pages.push(page);
  return page;
}
const ready = (page: Page) =>
  page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

/** Sends one alarm from a gateway at a grid's centre. */
async function alarm(gw: Socket, gatewayId: string, grid: string, kind = 'smoke.alarm', deviceId = 'smoke-01') {
  const [lng, lat] = centre(grid);
  const e = eventAt(gatewayId, grid, kind, { deviceId, location: { lng, lat, gridId: grid } } as never);
  const r = await gw.timeout(5000).emitWithAck('events', { events: [e] });
  expect(r).toMatchObject({ ok: true });
  return e;
}

/** The colour the alerts layer draws an alert with right now, read from the layer on the map. */
const symbolOf = (page: Page, id: string) =>
  page.evaluate((i) => {
    const layer = window.linli.stage.layerById('alerts')!;
    return Array.from(layer.props.getFillColor(window.linli.live.alerts.get(i)));
  }, id);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildProduct();
  h = await startTestHub();
  operator = await h.user('duty.op', 'city_operator', AREAS.city);
  leader = await h.user('tuohe.leader', 'street_leader', AREAS.streetA);
  gwA = await h.gatewaySocket('gw-341302001001', await h.gateway('gw-341302001001', AREAS.communityA));
  gwB = await h.gatewaySocket('gw-341302002001', await h.gateway('gw-341302002001', AREAS.communityB));
  browser = await launchChromium();
}, 300_000);

// A page left open keeps drawing and starves the next test's SwiftShader of CPU.
afterEach(async () => {
  for (const p of pages.splice(0)) await p.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
});

describe('cockpit in Chromium', () => {
  it('logs in, drills city → grid and back by panel, map click and breadcrumb; a deep link reproduces the view', async () => {
    const page = await newPage();
    await page.goto(h.url);
    await page.fill('input[name=username]', 'duty.op');
    await page.fill('input[name=password]', operator.password);
    await page.click('form.login button');
    await ready(page);
    expect(await page.locator('#breadcrumb .crumb').allTextContents()).toEqual(['宿州市']);

    // A click on the map (deck.gl picking inside MapLibre's context) goes one level down toward the grid.
    const p = await page.evaluate((c) => window.linli.map.project(c), centre(AREAS.gridA1));
    // Click once deck.gl has drawn the grids there (picking reads the last frame).
    await page.waitForFunction(
      (pt) => window.linli.stage.overlay.pickObject({ x: pt.x, y: pt.y, radius: 2 })?.layer?.id === 'grid-choropleth',
      p,
      { timeout: 60_000 },
    );
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => window.linli.state.area === '341302');
    for (const code of [AREAS.streetA, AREAS.communityA, AREAS.gridA1]) {
      await page.click(`#area-panel button[data-area="${code}"]`);
      await page.waitForFunction((c) => window.linli.state.area === c, code);
      expect(new URL(page.url()).searchParams.get('area')).toBe(code);
      expect(await page.locator('#area-panel h2').textContent()).toBe(city.areas.find((a) => a.code === code)!.name);
    }
    expect(await page.locator('#breadcrumb .crumb').count()).toBe(5);
    // The selected grid's white outline, from its community's rings fetched on the way down (never the city's).
    await page.waitForFunction(() => window.linli.stage.layerById('grid-selected-outline') !== undefined);
    const areaFetches = requests.filter((u) => new URL(u).pathname === '/api/areas');
    expect(areaFetches.length).toBeGreaterThan(0);
    expect(areaFetches.filter((u) => !new URL(u).searchParams.get('under'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-grid.png') });
    await page.click(`#breadcrumb button[data-area="${AREAS.city}"]`);
    await page.waitForFunction(() => window.linli.state.area === '341300');
    expect(await page.locator('#breadcrumb .crumb').count()).toBe(1);

    // Deep link: area, layers, measure and time window come back from the URL alone.
    const link = `${h.url}/?area=${AREAS.communityA}&layers=grids,heat,coverage&measure=coverage&win=7d#key=${operator.token}`;
    const deep = await newPage();
    await deep.goto(link);
    await ready(deep);
    expect(await deep.evaluate(() => window.linli.state.area)).toBe(AREAS.communityA);
    expect(await deep.evaluate(() => window.linli.state.layers)).toEqual(['grids', 'heat', 'coverage']);
    expect(await deep.locator('#measure').inputValue()).toBe('coverage');
    expect(await deep.locator('#win').inputValue()).toBe('7d');
    expect(await deep.locator('input[data-layer=coverage]').isChecked()).toBe(true);
    expect(await deep.locator('input[data-layer=alerts]').isChecked()).toBe(false);
    await deep.screenshot({ path: join(ARTIFACTS, 'cockpit-deep-link.png') });
    await deep.close();
    await page.close();
  });

  it('shows a new alarm and takes it through dispatch, acknowledge and resolve from the UI; the symbol follows', async () => {
    const page = await newPage();
    await page.goto(`${h.url}/?layers=grids,alerts,events,devices#key=${operator.token}`);
    await ready(page);
    const first = await alarm(gwA, 'gw-341302001001', AREAS.gridA2);
    // The covering camera's picture follows its event, as a gateway sends it.
    const webp = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#c0392b' } })
      .webp()
      .toBuffer();
    const sent = await gwA.timeout(5000).emitWithAck('media', {
      eventId: first.id,
      eventSeq: first.seq,
      cameraId: 'cam-a2',
      takenAt: Date.now(),
      contentType: 'image/webp',
      bytes: webp,
    });
    expect(sent).toMatchObject({ ok: true });
    const id = await page
      .waitForFunction(() => Object.keys(window.linli.state.alerts)[0], null, { timeout: 15_000 })
      .then((x) => x.jsonValue() as Promise<string>);
    expect(await page.evaluate((i) => window.linli.state.alerts[i], id)).toBe('raised');
    const raised = await symbolOf(page, id);
    expect(raised.slice(0, 3)).toEqual([255, 60, 60]);

    await page.click(`#alerts li[data-alert="${id}"]`);
    await page.waitForSelector(`#alert-detail[data-alert="${id}"] button[data-action=dispatch]`);
    // The detail shows the snapshot, fetched with the session (an <img src> could not carry it).
    const shown = await page.waitForFunction(() => {
      const img = document.querySelector('#alert-detail .snapshot:not([hidden]) img');
      return img?.complete && img.naturalWidth > 0 ? [img.naturalWidth, img.naturalHeight] : null;
    });
    expect(await shown.jsonValue()).toEqual([64, 36]);
    const steps: [string, string, number[]][] = [
      ['dispatch', 'dispatched', [255, 190, 40]],
      ['acknowledge', 'acknowledged', [63, 182, 255]],
      ['resolve', 'resolved', [53, 208, 127]],
    ];
    for (const [action, to, colour] of steps) {
      if (action === 'resolve') await page.fill('#alert-detail textarea[name=note]', '现场核实为误报，已复位');
      await page.click(`#alert-detail button[data-action=${action}]`);
      await page.waitForFunction(([i, s]) => window.linli.state.alerts[i!] === s, [id, to]);
      await page.waitForSelector(`#alert-detail[data-state="${to}"]`);
      expect((await symbolOf(page, id)).slice(0, 3)).toEqual(colour);
      if (action === 'dispatch') await page.screenshot({ path: join(ARTIFACTS, 'cockpit-alert.png') });
    }
    const hubSide = await h.api('GET', `/api/alerts/${id}/history`, { token: operator.token });
    expect(hubSide.body.history.map((x: { action: string }) => x.action)).toEqual([
      'raise',
      'dispatch',
      'acknowledge',
      'resolve',
    ]);
    expect(hubSide.body.history[3].note).toBe('现场核实为误报，已复位');
    // The panel names who acted and words the hub's own step in Chinese, never a raw user id.
    const history = page.locator('#alert-detail .history li');
    await history.nth(3).waitFor();
    const lines = await history.allTextContents();
    expect(lines[0]).toContain('系统 · 设备报警');
    expect(lines[3]).toContain('duty.op · 现场核实为误报，已复位');
    expect(lines.join('\n')).not.toContain(hubSide.body.history[1].actor);
    await page.close();
  });

  it("never sends a street leader another street's data (Socket.IO frames and REST replies)", async () => {
    const page = await newPage();
    const frames: string[] = [];
    const bodies: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    page.on('response', (r) => {
      if (r.url().includes('/api/'))
        void r.text().then(
          (t) => bodies.push(t),
          () => undefined,
        );
    });
    await page.goto(`${h.url}/?layers=grids,alerts,events,heat,coverage,patrols,population#key=${leader.token}`);
    await ready(page);
    // Both streets raise alarms; only street A's may reach this page.
    await alarm(gwB, 'gw-341302002001', AREAS.gridB1, 'gas.alarm');
    const mine = await alarm(gwA, 'gw-341302001001', AREAS.gridA1, 'gas.alarm');
    await until(
      () => frames.some((f) => f.includes(mine.id)),
      "the leader socket to carry its own street's alarm",
      15_000,
    );
    await page.waitForFunction(() => Object.keys(window.linli.state.alerts).length > 0, null, { timeout: 15_000 });
    expect(frames.some((f) => f.includes(AREAS.gridA1))).toBe(true);
    expect(frames.filter((f) => f.includes(AREAS.streetB))).toEqual([]);
    expect(bodies.length).toBeGreaterThan(4);
    expect(bodies.filter((b) => b.includes(AREAS.streetB))).toEqual([]);
    expect(await page.locator('#breadcrumb .crumb').allTextContents()).toContain('沱河街道');
    // Every layer of the deep link (patrols' TripsLayer included) drew without an error.
    await page.waitForTimeout(1500);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('wall mode tours the area and takes over for a new critical alert, then resumes', async () => {
    const page = await newPage();
    await page.goto(`${h.url}/wall?tour=2&hold=8#key=${operator.token}`);
    await ready(page);
    const wall = () =>
      page.evaluate(() => window.linli.state.wall as { moves: number; stop: string; takeover: string | null });
    await page.waitForFunction(() => (window.linli.state.wall as { moves: number }).moves >= 3, null, {
      timeout: 30_000,
    });
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      seen.add((await wall()).stop);
      await page.waitForTimeout(2100);
    }
    expect(seen.size).toBeGreaterThan(1);
    const e = await alarm(gwA, 'gw-341302001001', AREAS.gridA1, 'smoke.alarm', 'smoke-wall');
    await page.waitForFunction(() => (window.linli.state.wall as { takeover: string | null }).takeover !== null, null, {
      timeout: 15_000,
    });
    const taken = (await wall()).takeover!;
    const hubAlert = await h.api('GET', `/api/alerts/${taken}`, { token: operator.token });
    expect(hubAlert.body.eventIds).toContain(e.id);
    expect(await page.locator('#takeover').isVisible()).toBe(true);
    expect(await page.locator('#takeover').textContent()).toContain('紧急告警');
    await page.screenshot({ path: join(ARTIFACTS, 'wall-takeover.png') });
    const movesBefore = (await wall()).moves;
    await page.waitForFunction(() => (window.linli.state.wall as { takeover: string | null }).takeover === null, null, {
      timeout: 15_000,
    });
    await page.waitForFunction((m) => (window.linli.state.wall as { moves: number }).moves > m, movesBefore);
    expect(await page.locator('#takeover').isHidden()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'wall.png') });
    await page.close();
  });

  it('lists an active maintenance window with a 维护中 badge on its area, and ends it from the panel', async () => {
    // A street leader declares a window over one kind in one community (narrow: active at once) after a step-up.
    const step = await h.api('POST', '/api/step-up', {
      token: leader.token,
      body: { totp: totpCode(leader.totpSecret!, Date.now()) },
    });
    expect(step.status).toBe(200);
    const now = Date.now();
    const made = await h.api('POST', '/api/maintenance-windows', {
      token: leader.token,
      body: {
        areaPrefix: AREAS.communityA,
        kind: 'tilt.alarm',
        startsAt: now,
        endsAt: now + 3600_000,
        reason: '倾斜传感器校准',
      },
    });
    expect(made.body.window.status).toBe('approved');
    const page = await newPage();
    await page.goto(`${h.url}/?layers=grids,alerts#key=${leader.token}`);
    await ready(page);
    const row = page.locator(`#maintenance li[data-window="${made.body.window.id}"]`);
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getAttribute('data-phase')).toBe('active');
    expect(await row.locator('.badge').textContent()).toBe('维护中');
    // The badge on the area: beside the street's name, on the community in the area list, and on the map.
    await page.locator('#area-panel h2 .maintenance-badge').waitFor();
    expect(await page.locator(`#area-panel button[data-area="${AREAS.communityA}"] .maintenance-badge`).count()).toBe(
      1,
    );
    await page.waitForFunction(
      () =>
        (
          window.linli.stage.layerById('maintenance-badges') as unknown as
            { props: { data: { text: string }[] } } | undefined
        )?.props.data.some((d) => d.text === '维护中') === true,
      null,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-maintenance.png') });
    // Ended early from the panel: the list empties and the hub has it as ended.
    await row.locator('button[data-action=end]').click();
    await page.waitForFunction(() => (window.linli.state.maintenance as string[]).length === 0, null, {
      timeout: 30_000,
    });
    const after = await h.api('GET', '/api/maintenance-windows', { token: leader.token });
    expect(after.body.windows.find((w: { id: string }) => w.id === made.body.window.id).status).toBe('ended');
    expect(await page.locator('#area-panel .maintenance-badge').count()).toBe(0);
    await page.close();
  });

  it('review compares periods and exports the view as PNG and the table as CSV', async () => {
    const page = await newPage();
    await page.goto(`${h.url}/review#key=${leader.token}`);
    await ready(page);
    const review = (await page.evaluate(() => window.linli.state.review)) as { rows: number; alerts: number };
    // The alarms of the tests above in street A, as the hub counts them for this leader.
    const hubCount = (await h.api('GET', '/api/alerts?limit=5000', { token: leader.token })).body.alerts.length;
    expect(hubCount).toBeGreaterThanOrEqual(2);
    expect(review.alerts).toBe(hubCount);
    expect(await page.locator('#grid-table tbody tr').count()).toBe(review.rows);
    await page.screenshot({ path: join(ARTIFACTS, 'review.png') });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csvPath = join(ARTIFACTS, 'review.csv');
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('网格编码 grid code');
    expect(lines).toHaveLength(review.rows + 1);
    const a1 = lines.find((l) => l.startsWith(AREAS.gridA1))!.split(',');
    expect(Number(a1[2])).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.startsWith(AREAS.streetB))).toEqual([]);

    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const pngPath = join(ARTIFACTS, 'review-export.png');
    await png.saveAs(pngPath);
    const bytes = readFileSync(pngPath);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(500); // IHDR width: the map canvas, not an empty image
    // A drawn map, not a blank buffer: many distinct bytes in the compressed data.
    expect(new Set(bytes.subarray(100, 5000)).size).toBeGreaterThan(200);
    await page.close();
  });
});
