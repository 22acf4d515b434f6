import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBasemapPath } from '@linli/geo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { freePort, HUB_CLI, node, type Proc, ready, ROOT, cockpitToken } from '../helpers/processes.js';

/**
 * The offline basemap in real Chromium: the hub serves vector tiles from a
 * .pmtiles file chosen by LINLI_BASEMAP (here a copy of the demo archive at
 * a "customer" path), the cockpit draws streets, water and Chinese labels
 * with fonts from its own bundle, switches 深色/浅色, and nothing is asked
 * of any host but this one.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

interface Rendered {
  properties: Record<string, unknown>;
}
interface CockpitWindow {
  linli: {
    state: { ready: boolean; theme: string; basemap: string | null };
    map?: {
      queryRenderedFeatures(o: { layers: string[] }): Rendered[];
      getPaintProperty(layer: string, name: string): unknown;
      loaded(): boolean;
      areTilesLoaded(): boolean;
      once(ev: string, cb: () => void): void;
      triggerRepaint(): void;
    };
  };
}
declare const window: CockpitWindow;

let hub: Proc;
let browser: Browser;
let url: string;
let customerFile: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Packages and the cockpit bundle, each only if stale (as `npm start` does).
  buildProduct();
  const dir = mkdtempSync(join(tmpdir(), 'linli-basemap-e2e-'));
  customerFile = join(dir, 'customer-city.pmtiles');
  copyFileSync(demoBasemapPath(), customerFile);
  const key = cockpitToken(dir);
  const port = await freePort();
  hub = node(HUB_CLI, ['serve', '--data', dir, '--port', String(port), '--demo-city'], {
    env: { LINLI_BASEMAP: customerFile, LINLI_LOG_LEVEL: 'info' },
  });
  await ready(hub, 'hub');
  url = `http://127.0.0.1:${port}/#key=${key}`;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

/** Waits until MapLibre has every visible tile and has drawn them. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 60_000 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.linli.map!;
        if (map.loaded() && map.areTilesLoaded()) resolve();
        else map.once('idle', () => resolve());
        map.triggerRepaint();
      }),
  );
}

const renderedNames = (page: Page, layer: string) =>
  page.evaluate(
    (l) => [...new Set(window.linli.map!.queryRenderedFeatures({ layers: [l] }).map((f) => String(f.properties.name)))],
    layer,
  );

describe('offline basemap in the cockpit', () => {
  it('serves the customer file named by LINLI_BASEMAP', () => {
    expect(hub.out()).toContain('basemap opened');
    expect(hub.out()).toContain(customerFile);
  });

  it('draws streets, water and Chinese labels in both styles, loading nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(url);
    await settled(page);
    expect(await page.evaluate(() => window.linli.state)).toMatchObject({ theme: 'dark', basemap: 'linli' });

    const streets = await renderedNames(page, 'bm-street');
    expect(streets.length).toBeGreaterThan(5);
    expect(streets.filter((n) => /路|巷/.test(n)).length).toBeGreaterThan(5);
    expect(await renderedNames(page, 'bm-water')).toContain('新汴河');
    // Symbol layers list only labels MapLibre actually placed, i.e. whose glyphs it drew.
    const placeLabels = await renderedNames(page, 'bm-place-label');
    expect(placeLabels.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    const streetLabels = await renderedNames(page, 'bm-street-label');
    expect(streetLabels.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    // The label font came from the cockpit's own bundle: Noto Sans SC's unicode-range slices, only those needed.
    const slices = requests.filter((r) => /noto-sans-sc-\d+-400-normal[^/]*\.woff2$/.test(r));
    expect(slices.length).toBeGreaterThan(0);
    expect(slices.length).toBeLessThan(100);
    expect(requests.some((r) => /\/basemap\/tiles\/\d+\/\d+\/\d+\.mvt$/.test(r))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'basemap-dark.png') });

    await page.getByRole('button', { name: '浅色' }).click();
    await settled(page);
    expect(await page.evaluate(() => window.linli.state.theme)).toBe('light');
    expect(await page.evaluate(() => window.linli.map!.getPaintProperty('background', 'background-color'))).toBe(
      '#eef1f5',
    );
    expect((await renderedNames(page, 'bm-place-label')).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'basemap-light.png') });

    expect(requests.filter((r) => !isLocal(r))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
