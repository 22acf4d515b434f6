import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG, phone, pointIn } from '../../dashboard/test/field/field-fixtures.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, untilAsync } from '../helpers/processes.js';

/**
 * The evaluation (考评) in the review page, in real Chromium: field work done
 * through the phone's API (a matter reported, dispatched, accepted and
 * resolved; a patrol with two of three check-ins) shows as per-worker and
 * per-grid figures for the street leader, nothing of the other street, and
 * exports as CSV.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

type Picked = { layer?: { id: string; props: { getFillColor: (f: unknown) => number[] } }; object?: unknown };
declare const window: {
  linli: {
    state: { ready: boolean; fieldReview: unknown; gridColouring?: string };
    map: { project(p: [number, number]): { x: number; y: number } };
    stage: { overlay: { pickObject(o: { x: number; y: number; radius: number; layerIds?: string[] }): Picked | null } };
  };
};
declare function getComputedStyle(e: unknown): { backgroundColor: string };

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

async function actions(token: string, deviceId: string, list: unknown[]) {
  const r = await h.api('POST', '/api/field/actions', { token, body: { deviceId, actions: list } });
  expect(r.status).toBe(200);
  expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(list.map(() => 'applied'));
  return r.body.results as { data: Record<string, unknown> }[];
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, acceptDownloads: true });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
  return page;
}

describe('field evaluation in the review', () => {
  it('shows per-worker and per-grid figures from real field work, scoped to the leader, with the CSV', async () => {
    const leader = await h.user('lead.a', 'street_leader', AREAS.streetA);
    const planner = await h.user('plan.a', 'community_worker', AREAS.communityA);
    const worker = await h.user('wang.a1', 'grid_worker', AREAS.gridA1);
    const other = await h.user('li.b1', 'grid_worker', AREAS.gridB1);

    const route = await h.api('POST', '/api/field/routes', {
      token: planner.token,
      body: {
        gridId: AREAS.gridA1,
        name: '日常巡查',
        points: [
          { name: '东门', ...pointIn(AREAS.gridA1) },
          { name: '北门', ...pointIn(AREAS.gridA1, 40) },
          { name: '菜场', ...pointIn(AREAS.gridA1, 80) },
        ],
      },
    });
    expect(route.status).toBe(200);
    const points = route.body.route.points as { id: string }[];

    // The worker reports a matter; the leader dispatches it back to them; they accept, arrive and resolve.
    const p = phone();
    const [reported] = await actions(worker.token, p.deviceId, [
      p.action('matter.report', { category: '环境卫生', description: '垃圾桶满溢', position: pointIn(AREAS.gridA1) }),
    ]);
    const alertId = reported!.data.alertId as string;
    const sent = await h.api('POST', `/api/alerts/${alertId}/dispatch`, {
      token: leader.token,
      body: { assignee: { type: 'user', id: worker.user.id } },
    });
    expect(sent.status).toBe(200);
    const patrolId = `patrol-${p.deviceId.slice(4)}`;
    await actions(worker.token, p.deviceId, [
      p.action('task.accept', { alertId }),
      p.action('task.arrive', { alertId, position: pointIn(AREAS.gridA1) }),
      p.action('task.resolve', { alertId, note: '已清运', photos: [{ contentType: 'image/jpeg', data: JPEG }] }),
      p.action('patrol.start', { patrolId, routeId: route.body.route.id, position: pointIn(AREAS.gridA1) }),
      p.action('patrol.checkin', { patrolId, pointId: points[0]!.id, position: pointIn(AREAS.gridA1, 5) }),
      p.action('patrol.checkin', { patrolId, pointId: points[1]!.id, position: pointIn(AREAS.gridA1, 45) }),
      p.action('patrol.stop', { patrolId }),
    ]);
    // Another street's worker: never in this leader's figures.
    const q = phone();
    await actions(other.token, q.deviceId, [
      q.action('matter.report', { category: '设施损坏', description: '路灯不亮', position: pointIn(AREAS.gridB1) }),
    ]);

    const page = await openPage(`${h.url}/review#key=${leader.token}`);
    const row = page.locator(`#field-workers-table tr[data-key="${worker.user.id}"] td`);
    const cells = await row.allTextContents();
    // Worker, reported, handled, median accept, median resolve, patrols, coverage, overdue.
    expect(cells[0]).toBe('wang.a1');
    expect(cells.slice(1, 3)).toEqual(['1', '1']);
    expect(cells[3]).not.toBe('–');
    expect(cells[4]).not.toBe('–');
    expect(cells.slice(5)).toEqual(['1', '2/3 · 67%', '0']);
    const grid = await page.locator(`#field-grids-table tr[data-key="${AREAS.gridA1}"] td`).allTextContents();
    expect(grid.slice(1, 3)).toEqual(['1', '1']);
    expect(grid[3]).not.toBe('–');
    expect(grid[6]).toBe('2/3 · 67%');
    expect(await page.locator(`#field-workers-table tr[data-key="${other.user.id}"]`).count()).toBe(0);
    expect(await page.locator(`#field-grids-table tr[data-key="${AREAS.gridB1}"]`).count()).toBe(0);
    await page.locator('#field-figures').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'review-field.png') });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-field-csv')]);
    const csvPath = join(ARTIFACTS, 'review-field.csv');
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const line = text.split('\r\n').find((l) => l.includes(worker.user.id))!;
    // Type, id, name, reported, handled, accept, resolve (minutes), overdue, patrols, check-ins, points, visited.
    expect(line.split(',').slice(-5)).toEqual(['0', '1', '2', '3', '2']);
    expect(text).not.toContain(other.user.id);
    await page.close();

    // A grid worker may open the review but does not oversee colleagues: a line says so, no table.
    const own = await openPage(`${h.url}/review#key=${worker.token}`);
    await own.locator('#field-figures p').waitFor();
    expect(await own.locator('#field-figures table').count()).toBe(0);
    await own.close();
  });

  it('colours each grid by today’s check-in coverage in the cockpit while the patrol layer is on', async () => {
    const leader = await h.user('lead.a2', 'street_leader', AREAS.streetA);
    const page = await openPage(`${h.url}/#key=${leader.token}`);
    const section = page.locator('#checkin-coverage');
    expect(await section.isHidden()).toBe(true);
    const at = (grid: string) => {
      const c = pointIn(grid);
      return page.evaluate((p) => window.linli.map.project(p), [c.lng, c.lat] as [number, number]);
    };
    const a1At = await at(AREAS.gridA1);
    const a2At = await at(AREAS.gridA2);
    /** The fill deck.gl draws for the grid under a point (its own accessor on the picked tile feature), as CSS rgb(). */
    const fillAt = (p: { x: number; y: number }) =>
      page.evaluate((pt) => {
        const hit = window.linli.stage.overlay.pickObject({ ...pt, radius: 1, layerIds: ['grid-choropleth'] });
        if (!hit?.layer || !hit.object) return null;
        const f = hit.layer.props.getFillColor(hit.object);
        return `rgb(${f[0]}, ${f[1]}, ${f[2]})`;
      }, p);
    await page.waitForFunction(
      (pt) => window.linli.stage.overlay.pickObject({ ...pt, radius: 1, layerIds: ['grid-choropleth'] }) !== null,
      a1At,
      { timeout: 60_000 },
    );
    const measureFill = await fillAt(a1At);
    expect(await page.locator('#legends [data-legend="checkins"]').count()).toBe(0);
    await page.click('input[data-layer="patrols"]');
    // The patrol of the test above: two of gridA1's three points today; gridA2 has no route.
    const a1 = section.locator(`li[data-grid="${AREAS.gridA1}"]`);
    await a1.waitFor();
    expect(await a1.getAttribute('data-share')).toBe('67');
    expect(await a1.textContent()).toContain('2/3');
    expect(await section.locator(`li[data-grid="${AREAS.gridA2}"]`).getAttribute('data-share')).toBe('');
    expect(await section.locator(`li[data-grid="${AREAS.gridB1}"]`).count()).toBe(0);
    // The map's legend: the check-in steps stand in for the grid measure's ramp while they colour the grids.
    const legend = page.locator('#legends [data-legend="checkins"]');
    await legend.waitFor();
    expect(await legend.locator('[data-entry]').evaluateAll((els) => els.map((e) => e.textContent))).toEqual([
      '未签到',
      '不足一半',
      '一半以上',
      '全部签到',
      '未设签到点',
    ]);
    expect(await page.locator('#legends [data-legend="grids"]').count()).toBe(0);
    const mark = (entry: string) =>
      legend.locator(`[data-entry="${entry}"] .legend-mark`).evaluate((e) => getComputedStyle(e).backgroundColor);
    const most = await mark('checkins-most');
    const grey = await mark('checkins-no-points');
    // The chip's colour is the legend's "half or more", and so is gridA1's fill on the map; gridA2 (no points) is grey.
    expect(await a1.locator('.chip').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(most);
    await page.waitForFunction(() => window.linli.state.gridColouring === 'checkins');
    await untilAsync(async () => (await fillAt(a1At)) === most, 'gridA1 filled as "half or more"', 30_000);
    expect(await fillAt(a2At)).toBe(grey);
    expect(most).not.toBe(measureFill);
    // Hovering the grid names its coverage beside the pointer: at a spot of gridA1 where no symbol lies above it
    // (the matter's alert sits at the grid's centre).
    const bare = await page.evaluate(
      ({ pt, code }) => {
        for (const [dx, dy] of [
          [0, 30],
          [0, -30],
          [30, 0],
          [-30, 0],
          [25, 25],
          [-25, -25],
          [25, -25],
          [-25, 25],
        ]) {
          const p = { x: pt.x + dx!, y: pt.y + dy! };
          const top = window.linli.stage.overlay.pickObject({ ...p, radius: 0 }) as
            (Picked & { object?: { properties?: { code?: string } } }) | null;
          if (top?.layer?.id === 'grid-choropleth' && top.object?.properties?.code === code) return p;
        }
        return null;
      },
      { pt: a1At, code: AREAS.gridA1 },
    );
    expect(bare).not.toBeNull();
    await page.mouse.move(bare!.x, bare!.y);
    const tip = page.locator('#map-tip');
    await tip.waitFor();
    expect(await tip.textContent()).toContain('签到 2/3 · 67%');
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit-checkin-coverage.png') });
    // Patrols off: the grids are coloured by the measure again, with its legend.
    await page.click('input[data-layer="patrols"]');
    await section.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => window.linli.state.gridColouring === 'measure');
    await untilAsync(async () => (await fillAt(a1At)) === measureFill, 'gridA1 back to the measure colour', 30_000);
    await page.locator('#legends [data-legend="grids"]').waitFor();
    expect(await legend.count()).toBe(0);
    await page.close();
  });
});
