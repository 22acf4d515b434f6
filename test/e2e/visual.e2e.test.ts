import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIdFactory, type LinliEvent } from '@linli/contract';
import { loadDemoCity, ringCentroid } from '@linli/geo';
import pixelmatch from 'pixelmatch';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT } from '../helpers/processes.js';

/**
 * Visual regression: each view as a person sees it, at 1920×1080 and (the
 * wall) 3840×2160, dark and light, compared with the references committed in
 * test/visual/references/. A change nobody meant fails here, with a diff
 * picture in test/artifacts/, before it reaches a wall.
 *
 * Deterministic on purpose: a fresh hub with history that ends two days ago
 * (no live event, no open alert, nothing pulsing, an empty 24 h heatmap), the
 * wall's tour held at its first stop, and the clock and the review's dated
 * parts (title, time axis) masked.
 *
 * Tolerance: pixelmatch's per-pixel colour threshold 0.1 with anti-aliased
 * pixels ignored, and at most 0.2% of pixels different. SwiftShader renders
 * the same frame the same way on one machine, but glyph edges and the basemap's
 * line joins move by a pixel across Chromium and font updates; a moved panel,
 * a lost legend or a different colour scale changes far more than 0.2%.
 *
 * To accept a deliberate change: `UPDATE_VISUAL=1 npx vitest run test/e2e/visual.e2e.test.ts`,
 * look at the new pictures, and commit them.
 */
const REFS = join(ROOT, 'test', 'visual', 'references');
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const UPDATE = process.env.UPDATE_VISUAL === '1';
const MAX_DIFF_SHARE = 0.002;
const DAY = 86_400_000;
const city = loadDemoCity();
const centre = (code: string) => ringCentroid(city.areas.find((a) => a.code === code)!.ring!);
const TO = new Date().setHours(24, 0, 0, 0);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const localStorage: any;
declare function requestAnimationFrame(cb: () => void): number;

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let leader: { token: string };

/** Three weeks of gate passes in street A, ending two days before today (out of every "today" and 24 h figure). */
async function seed(): Promise<void> {
  const nextId = createIdFactory();
  await h.store.upsertGateway('gw-visual', 'x'.repeat(64), AREAS.communityA);
  const events: LinliEvent[] = [];
  for (let d = 2; d < 23; d++)
    for (let i = 0; i < 1 + (d % 4); i++) {
      const at = TO - (d + 1) * DAY + (8 + i) * 3_600_000;
      const grid = i % 2 ? AREAS.gridA2 : AREAS.gridA1;
      events.push({
        v: 1,
        id: nextId(at),
        gatewayId: 'gw-visual',
        seq: 0,
        deviceId: 'gate-01',
        kind: 'gate.pass',
        severity: 'info',
        deviceTime: at,
        receivedAt: at,
        location: { lng: centre(grid)[0], lat: centre(grid)[1], gridId: grid },
        payload: { method: 'card', direction: 'in' },
      } as LinliEvent);
    }
  events.sort((a, b) => a.receivedAt - b.receivedAt);
  events.forEach((e, i) => Object.assign(e, { seq: i + 1 }));
  await h.store.ingest('gw-visual', events);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(REFS, { recursive: true });
  buildProduct();
  h = await startTestHub();
  leader = await h.user('visual.leader', 'street_leader', AREAS.streetA);
  await seed();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Compares a screenshot with its reference (or writes the reference when updating); returns the share of pixels that differ. */
async function compare(name: string, png: Buffer): Promise<number> {
  const ref = join(REFS, `${name}.png`);
  if (UPDATE) {
    await sharp(png).png({ compressionLevel: 9 }).toFile(ref);
    return 0;
  }
  if (!existsSync(ref))
    throw new Error(
      `no reference ${ref}: run UPDATE_VISUAL=1 npx vitest run test/e2e/visual.e2e.test.ts and commit it`,
    );
  const [a, b] = await Promise.all([
    sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    sharp(ref).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  ]);
  expect([a.info.width, a.info.height], `${name}: size`).toEqual([b.info.width, b.info.height]);
  const { width, height } = a.info;
  const diff = Buffer.alloc(width * height * 4);
  const n = pixelmatch(a.data, b.data, diff, width, height, { threshold: 0.1 });
  if (n / (width * height) > MAX_DIFF_SHARE) {
    await sharp(diff, { raw: { width, height, channels: 4 } })
      .png()
      .toFile(join(ARTIFACTS, `visual-diff-${name}.png`));
    writeFileSync(join(ARTIFACTS, `visual-actual-${name}.png`), png);
  }
  return n / (width * height);
}

async function shot(
  path: string,
  theme: 'dark' | 'light',
  scale: 1 | 2,
  mask: string[],
): Promise<{ page: Page; png: Buffer }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: scale });
  await page.addInitScript((t: string) => localStorage.setItem('linli.theme', t), theme);
  // The grid tiles answer only once everything else is in and drawn, as from a loaded hub: the page must not call
  // itself ready before deck.gl's tiles arrive (a CI run once caught the light cockpit without its grid colours).
  // Only deck.gl's (?level=grid): MapLibre draws the borders from the same area tiles of every level, unheld.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let tiles = 0;
  const gridTile = (u: URL) => u.pathname.startsWith('/api/area-tiles/') && u.searchParams.get('level') === 'grid';
  await page.route(gridTile, async (route) => {
    tiles++;
    const res = await route.fetch();
    await held;
    await route.fulfill({ response: res });
  });
  await page.goto(`${h.url}${path}#key=${leader.token}`);
  await page.waitForFunction(() => window.linli?.state.waitingFor.join() !== '' || window.linli?.state.ready, null, {
    timeout: 120_000,
  });
  if (tiles > 0) {
    await page.waitForFunction(() => window.linli.state.waitingFor.join() === 'layers', null, { timeout: 120_000 });
    expect(await page.evaluate(() => window.linli.state.ready), `${path}: ready while its grid tiles were held`).toBe(
      false,
    );
  }
  release();
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
  await page.evaluate(() => document.fonts.ready);
  // Two drawn frames after ready: the labels placed for the final view, the legends rendered.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
  const png = await page.screenshot({ mask: mask.map((m) => page.locator(m)), animations: 'disabled' });
  return { page, png };
}

const VIEWS: { name: string; path: string; scales: (1 | 2)[]; mask: string[] }[] = [
  { name: 'cockpit', path: '/?layers=grids,alerts,events,devices,coverage', scales: [1], mask: ['#clock'] },
  { name: 'review', path: `/review?days=30&to=${TO}`, scales: [1], mask: ['#clock', '.title', '#time-chart'] },
  { name: 'wall', path: '/wall?tour=3600', scales: [1, 2], mask: ['#clock'] },
];

describe('visual regression against committed references', () => {
  for (const v of VIEWS)
    for (const theme of ['dark', 'light'] as const)
      for (const scale of v.scales) {
        const name = `${v.name}-${theme}-${scale === 2 ? '3840x2160' : '1920x1080'}`;
        it(`${name} looks as its reference`, async () => {
          const { page, png } = await shot(v.path, theme, scale, v.mask);
          await page.close();
          expect(
            await compare(name, png),
            `${name}: share of pixels changed (diff in test/artifacts)`,
          ).toBeLessThanOrEqual(MAX_DIFF_SHARE);
        });
      }
});
