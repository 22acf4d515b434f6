import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIdFactory, type LinliEvent } from '@linli/contract';
import { loadDemoCity, ringCentroid } from '@linli/geo';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, eventAt, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT } from '../helpers/processes.js';

/**
 * The cockpit read at a glance, in real Chromium against a real hub: the
 * review's charts (their data read from the chart objects) over a seeded
 * month against the month before, legends for every active layer, map labels
 * that never overlap at city level, the wall's words from the viewer's scope
 * and the alert's place, and an English page with no Chinese in its chrome.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const DAY = 86_400_000;
const city = loadDemoCity();
const centre = (code: string) => ringCentroid(city.areas.find((a) => a.code === code)!.ring!);
const NAME = (code: string) => city.areas.find((a) => a.code === code)!.name;

// The page's globals (dashboard/web/src/shell.ts), typed loosely: the tests compile without the DOM library.
interface Element {
  getAttribute(name: string): string | null;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
declare function getComputedStyle(el: unknown): { fontFamily: string; backgroundColor: string };

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let operator: { token: string };
let leader: { token: string };
let leaderB: { token: string };
let gwA: Socket;
const requests: string[] = [];
const pages: Page[] = [];
const pageErrors: string[] = [];

/** What was seeded for street A, per period, as the review must count it. */
const seeded = { eventsNow: 0, eventsBefore: 0, alertsNow: 0, alertsBefore: 0, ackedNow: 0, gridA1Events: 0 };
const MONTH_TO = new Date().setHours(24, 0, 0, 0);
const MONTH_FROM = MONTH_TO - 30 * DAY;

async function newPage(viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  pages.push(page);
  return page;
}
const ready = (page: Page) =>
  page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

/**
 * Sixty days of history in street A: gate passes every day (more this month
 * than last), alerts raised on the days in between, most acknowledged and
 * resolved; stored as the hub stores them, not through the live path (which
 * stamps alerts with the hub's clock).
 */
async function seedTwoMonths(): Promise<void> {
  const nextId = createIdFactory();
  await h.store.upsertGateway('gw-history', 'x'.repeat(64), AREAS.communityA);
  const events: LinliEvent[] = [];
  let seq = 0;
  for (let d = 0; d < 60; d++) {
    const dayStart = MONTH_TO - (d + 1) * DAY;
    const now = dayStart >= MONTH_FROM;
    const perDay = now ? 4 + (d % 3) : 2 + (d % 2);
    for (let i = 0; i < perDay; i++) {
      const at = dayStart + (i + 1) * 3_600_000;
      const grid = i % 2 ? AREAS.gridA2 : AREAS.gridA1;
      events.push({
        v: 1,
        id: nextId(at),
        gatewayId: 'gw-history',
        seq: ++seq,
        deviceId: 'gate-01',
        kind: 'gate.pass',
        severity: 'info',
        deviceTime: at,
        receivedAt: at,
        location: { lng: centre(grid)[0], lat: centre(grid)[1], gridId: grid },
        payload: { method: 'card', direction: 'in' },
      } as LinliEvent);
      if (now) seeded.eventsNow++;
      else seeded.eventsBefore++;
      if (now && grid === AREAS.gridA1) seeded.gridA1Events++;
    }
  }
  events.sort((a, b) => a.receivedAt - b.receivedAt);
  events.forEach((e, i) => Object.assign(e, { seq: i + 1 }));
  await h.store.ingest('gw-history', events);
  for (let d = 0; d < 60; d += d < 30 ? 2 : 3) {
    const at = MONTH_TO - (d + 1) * DAY + 9 * 3_600_000;
    const now = at >= MONTH_FROM;
    const id = nextId(at);
    await h.store.db.run(
      `INSERT INTO alert_alerts (id, state, level, version, kind, severity, gateway_id, device_id, grid_id, lng, lat, count,
         first_event_id, first_event_at, last_event_at, raised_at, state_since, updated_at)
       VALUES (?, 'resolved', 0, 4, 'smoke.alarm', 'critical', 'gw-history', 'smoke-01', ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      [id, AREAS.gridA1, ...centre(AREAS.gridA1), nextId(at), at, at, at, at, at],
    );
    const ack = at + (2 + (d % 7) * 9) * 60_000;
    const history: [string, number][] = [
      ['raise', at],
      ['dispatch', at + 60_000],
      ['acknowledge', ack],
      ['resolve', ack + (d % 4) * 3_600_000 + 600_000],
    ];
    for (const [i, [action, when]] of history.entries())
      await h.store.db.run(
        'INSERT INTO alert_history (alert_id, seq, at, actor, action, to_state, level) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, i + 1, when, 'system', action, action, 0],
      );
    if (now) {
      seeded.alertsNow++;
      seeded.ackedNow++;
    } else seeded.alertsBefore++;
  }
}

/** Sends one alarm from gateway A at a grid's centre. */
async function alarm(grid: string, over: Partial<LinliEvent> = {}) {
  const [lng, lat] = centre(grid);
  const e = eventAt('gw-341302001001', grid, 'smoke.alarm', {
    deviceId: 'smoke-01',
    location: { lng, lat, gridId: grid },
    ...over,
  } as never);
  const r = await gwA.timeout(5000).emitWithAck('events', { events: [e] });
  expect(r).toMatchObject({ ok: true });
  return e;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  buildProduct();
  h = await startTestHub();
  operator = await h.user('glance.op', 'city_operator', AREAS.city);
  leader = await h.user('glance.leader', 'street_leader', AREAS.streetA);
  leaderB = await h.user('glance.leaderb', 'street_leader', AREAS.streetB);
  gwA = await h.gatewaySocket('gw-341302001001', await h.gateway('gw-341302001001', AREAS.communityA));
  await seedTwoMonths();
  browser = await launchChromium();
}, 300_000);

afterEach(async () => {
  for (const p of pages.splice(0)) await p.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
});

describe('the cockpit at a glance, in Chromium', () => {
  it("review charts a street's month against the month before, from the chart's own data", async () => {
    const page = await newPage();
    await page.goto(`${h.url}/review?days=30&to=${MONTH_TO}#key=${leader.token}`);
    await ready(page);
    const chart = await page.evaluate(() => {
      const u = window.linli.charts.time;
      return {
        labels: u.series.map((s: { label?: string }) => s.label ?? ''),
        data: u.data.map((d: number[]) => [...d]),
      };
    });
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(chart.labels.slice(1)).toEqual(['事件 本期', '事件 上期', '告警 本期', '告警 上期']);
    for (const series of chart.data) expect(series).toHaveLength(30);
    expect(sum(chart.data[1])).toBe(seeded.eventsNow);
    expect(sum(chart.data[2])).toBe(seeded.eventsBefore);
    expect(sum(chart.data[3])).toBe(seeded.alertsNow);
    expect(sum(chart.data[4])).toBe(seeded.alertsBefore);
    // The x axis is the period's days, from its first.
    expect(chart.data[0][0] * 1000).toBe(MONTH_FROM);

    // Response times: every acknowledged alert of the month in one bin, to acknowledge and to resolve.
    const response = await page.evaluate(() => window.linli.charts.response.data.map((d: number[]) => [...d]));
    expect(sum(response[1])).toBe(seeded.ackedNow);
    expect(sum(response[2])).toBe(seeded.ackedNow);
    expect(await page.locator('#sla-share').textContent()).toMatch(/时限内签收 \d+%/);

    // Sparklines: grid A1's month, bucket by bucket, in its table row.
    const spark = await page.getAttribute(`#grid-table tr[data-grid="${AREAS.gridA1}"] svg.sparkline`, 'data-values');
    expect(sum(spark!.split(',').map(Number))).toBe(seeded.gridA1Events);

    // The map lies beside the panel, not under it, and the street's grids are all inside the map's box.
    const boxes = await page.evaluate(() => {
      const map = document.querySelector('#map').getBoundingClientRect();
      const panel = document.querySelector('.review-panel').getBoundingClientRect();
      return { mapRight: map.right, panelLeft: panel.left };
    });
    expect(boxes.mapRight).toBeLessThanOrEqual(boxes.panelLeft);
    const gridsOnMap = await page.evaluate(
      (codes: [number, number][]) => codes.map((c) => window.linli.map.project(c)),
      [AREAS.gridA1, AREAS.gridA2].map(centre),
    );
    for (const p of gridsOnMap) expect(p.x).toBeLessThan(boxes.mapRight);
    expect(await page.locator('#legends [data-legend]').evaluateAll((els) => els.map((e) => e.dataset.legend))).toEqual(
      ['grids', 'heat'],
    );
    expect(await page.locator('#period').evaluate((el) => getComputedStyle(el).fontFamily)).toContain('Noto Sans SC');
    await page.locator('.review-panel').screenshot({ path: join(ARTIFACTS, 'review-chart.png') });

    // Export: one A4 landscape page (PNG), and the same page printed to PDF.
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const pngPath = join(ARTIFACTS, 'review-report-a4.png');
    await png.saveAs(pngPath);
    const meta = await sharp(pngPath).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(297 / 210, 2);
    await sharp(pngPath).resize({ width: 1400 }).toFile(join(ARTIFACTS, 'review-report-a4-small.png'));
    // The browser's print dialog would hold the page: count the call, then print as the dialog would.
    await page.evaluate(() => {
      window.print = () => void (window.printed = (window.printed ?? 0) + 1);
    });
    await page.click('#export-pdf');
    await page.waitForFunction(
      () => window.printed === 1 && document.querySelector('#print-report img')?.complete === true,
    );
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#print-report').isVisible()).toBe(true);
    expect(await page.locator('.review-panel').isVisible()).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, 'review-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
  });

  it('says so when nothing was acknowledged, instead of an empty list', async () => {
    const page = await newPage();
    await page.goto(`${h.url}/review?days=30&to=${MONTH_TO}#key=${leaderB.token}`);
    await ready(page);
    expect(await page.locator('#top-slow li.placeholder').textContent()).toBe('本期没有已签收的告警');
    expect(await page.locator('#top-alerts li.placeholder').textContent()).toBe('本期没有告警');
  });

  it('shows a legend for every active layer, follows the theme, and drops the legend of a layer switched off', async () => {
    const page = await newPage();
    const all = 'grids,population,alerts,events,heat,coverage,devices,patrols';
    await page.goto(`${h.url}/?layers=${all}&measure=population#key=${operator.token}`);
    await ready(page);
    const legends = () =>
      page
        .locator('#legends [data-legend]')
        .evaluateAll((els) =>
          els.map((e) => ({ layer: e.dataset.legend, entries: e.querySelectorAll('[data-entry]').length })),
        );
    // With the patrol layer on, the grids are coloured by today's check-in coverage (this operator oversees field
    // work): its legend stands in for the grid measure's.
    await page.waitForSelector('#legends [data-legend=checkins]');
    const shown = await legends();
    expect(shown.map((l) => l.layer).sort()).toEqual(
      [...all.split(',').filter((l) => l !== 'grids'), 'checkins'].sort(),
    );
    for (const l of shown) expect(l.entries, l.layer).toBeGreaterThan(0);
    await page.uncheck('input[data-layer=patrols]');
    await page.waitForSelector('#legends [data-legend=grids]');
    expect((await legends()).map((l) => l.layer)).not.toContain('checkins');
    expect(await page.locator('[data-legend=grids] h3').textContent()).toBe('网格着色：重点人群');
    const bg = () => page.locator('[data-legend=grids]').evaluate((el) => getComputedStyle(el).backgroundColor);
    const dark = await bg();
    await page.click('.theme-toggle button[data-theme=light]');
    await page.waitForFunction(
      (d) => getComputedStyle(document.querySelector('[data-legend=grids]')).backgroundColor !== d,
      dark,
    );
    expect(await bg()).toMatch(/rgba?\(255, 255, 255/);
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-legends-light.png') });
    await page.uncheck('input[data-layer=heat]');
    await page.waitForFunction(() => document.querySelector('[data-legend=heat]') === null);
    expect((await legends()).map((l) => l.layer)).not.toContain('heat');
  });

  it('never draws two map labels over each other at city level, and sums key-population counts at the level shown', async () => {
    for (const grid of [AREAS.gridA1, AREAS.gridA2, AREAS.gridB1]) await alarm(grid);
    const page = await newPage();
    await page.goto(`${h.url}/?layers=grids,population,alerts&measure=population#key=${operator.token}`);
    await ready(page);
    await page.waitForFunction(
      () => window.linli.stage.labelsOnScreen().some((l: { layer: string }) => l.layer === 'population-counts'),
      null,
      {
        timeout: 60_000,
      },
    );
    const placed = (await page.evaluate(() =>
      window.linli.stage.labelsOnScreen().map((l: { layer: string; text: string; box: object }) => ({
        layer: l.layer,
        text: l.text,
        box: l.box,
      })),
    )) as { layer: string; text: string; box: { x0: number; y0: number; x1: number; y1: number } }[];
    expect(placed.filter((l) => l.layer === 'area-names').length).toBeGreaterThan(3);
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i]!.box;
        const b = placed[j]!.box;
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        expect(overlap, `${placed[i]!.text} over ${placed[j]!.text}`).toBe(false);
      }
    // At the city, one count per district (the level below), not one per grid.
    const districts = city.areas.filter((a) => a.level === 'district').length;
    expect(placed.filter((l) => l.layer === 'population-counts').length).toBeLessThanOrEqual(districts);
    // Each kept label is drawn where its box says: deck.gl picks that label's text there.
    for (const l of placed) {
      const picked = await page.evaluate(
        (p: { x: number; y: number }) => {
          const info = window.linli.stage.overlay.pickObject({
            x: p.x,
            y: p.y,
            radius: 6,
            layerIds: ['area-names', 'population-counts', 'maintenance-badges'],
          });
          return info?.object?.text ?? null;
        },
        { x: (l.box.x0 + l.box.x1) / 2, y: (l.box.y0 + l.box.y1) / 2 },
      );
      expect(picked, l.text).toBe(l.text);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-city-labels.png') });
  });

  it("titles a street leader's wall by its street; a takeover's caption names the alert's community; a rule's alert is named by its rule", async () => {
    const page = await newPage();
    await page.goto(`${h.url}/wall?tour=2&hold=30#key=${leader.token}`);
    await ready(page);
    const title = await page.locator('#wall-title').textContent();
    expect(title).toContain(NAME(AREAS.streetA));
    expect(title).not.toContain('城市运行指挥中心');
    await page.waitForFunction(() => window.linli.state.wall.moves >= 1);
    await alarm(AREAS.gridA2, {
      kind: 'rule.alert',
      payload: { rule: 'smoke-gas', text: '烟感：smoke-01，已打开本地声光报警' },
    } as never);
    await page.waitForFunction(() => window.linli.state.wall.takeover !== null, null, { timeout: 15_000 });
    const community = NAME(AREAS.communityA);
    expect(await page.locator('#tour-caption').textContent()).toContain(community);
    expect(await page.locator('#tour-caption').textContent()).toContain(NAME(AREAS.gridA2));
    await page.waitForFunction(() => document.querySelector('#takeover').textContent.includes('烟感燃气告警'), null, {
      timeout: 15_000,
    });
    const box = await page.locator('#takeover').textContent();
    expect(box).toContain(community);
    expect(box).not.toContain('本地规则告警');
    await page.screenshot({ path: join(ARTIFACTS, 'wall-takeover-caption.png') });
  });

  it('in English, the chrome of the cockpit, the review and the wall carries no Chinese (place names are data)', async () => {
    const names = (await h.api('GET', '/api/area-tree', { token: operator.token })).body.areas.map(
      (a: { name: string }) => a.name,
    ) as string[];
    const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
    const chrome = async (page: Page) => {
      const text = (await page.evaluate(() => {
        const attrs = [...document.querySelectorAll('[title],[placeholder],[aria-label]')].flatMap((el: Element) =>
          ['title', 'placeholder', 'aria-label'].map((a) => el.getAttribute(a) ?? ''),
        );
        // The language switch names the other language in that language (中文), as switches do.
        const switches = [...document.querySelectorAll('[lang="zh"]')].map((el: { innerText: string }) => el.innerText);
        let body = document.body.innerText as string;
        for (const s of switches) body = body.split(s).join('');
        return [body, ...attrs].join('\n');
      })) as string;
      // Area names are data (proper names), longest first so a street's name goes before its community's.
      let rest = text;
      for (const n of [...names].sort((a, b) => b.length - a.length)) rest = rest.split(n).join('');
      return rest
        .split('\n')
        .filter((l) => cjk.test(l))
        .map((l) => l.trim());
    };
    for (const path of [
      `/?lang=en&layers=grids,population,alerts,events,heat,coverage,devices,patrols`,
      `/review?lang=en&days=30&to=${MONTH_TO}`,
      '/wall?lang=en&tour=60',
    ]) {
      const page = await newPage();
      await page.goto(`${h.url}${path}#key=${operator.token}`);
      await ready(page);
      await page.waitForFunction(() => document.querySelectorAll('#legends [data-legend]').length > 0);
      if (path.startsWith('/?')) await page.waitForSelector('#alerts li');
      expect(await chrome(page), path).toEqual([]);
      await page.close();
    }
  });
});
