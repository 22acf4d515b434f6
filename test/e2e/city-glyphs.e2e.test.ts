import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { realisticCity, writeSyntheticCity } from '@linli/geo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontFaceSlices, inRanges } from '../../dashboard/web/src/map/font-slices.js';
import { woffCodePoints } from '../../dashboard/test/web/woff-cmap.js';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, untilAsync } from '../helpers/processes.js';

/**
 * Every character of every name of the active city renders, in the cockpit,
 * the wall and the review: a city that is not the demo (names with 浍, 埇, 濉,
 * 砀, 亳, 亭 …) is imported and activated, then each view is opened in
 * Chromium and, for every character of every area name, a face of the bundled
 * Noto Sans SC that holds its glyph must have been loaded by the page (so
 * MapLibre and deck.gl rasterise it from our font, never from whatever the
 * machine has: CI has no CJK system font). The glyph itself must be in that
 * face's cmap, read from the font file: a character no slice holds fails here.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const fontDir = dirname(
  createRequire(join(ROOT, 'dashboard', 'package.json')).resolve('@fontsource/noto-sans-sc/400.css'),
);

declare const window: {
  linli: {
    state: { ready: boolean; area: string | null };
    map: { getZoom(): number; jumpTo(o: { zoom: number }): void; once(e: string, f: () => void): void };
    stage: { placements: number; labelsOnScreen(): { layer: string; text: string }[] };
  };
};
declare function requestAnimationFrame(step: () => void): number;
/** The page's FontFaceSet, as far as this test reads it (tests are type-checked without the DOM library). */
interface PageFontFace {
  family: string;
  weight: string;
  status: string;
  unicodeRange: string;
}
declare const document: { fonts: Iterable<PageFontFace> };

/** Names a city on the Huai river plain really has; the rare ones are where subsets fail. */
const RARE_NAMES = [
  '浍水社区',
  '埇桥街道',
  '濉溪社区',
  '砀山社区',
  '亳州路社区',
  '醉翁亭社区',
  '蕲县街道',
  '鲍家岗社区',
];

function cityWithRareNames() {
  const city = realisticCity({
    split: { districts: [1, 1], streets: [2, 1], communities: [2, 2], grids: [2, 1] },
    cityCode: '341300',
    cityName: '宿州试点市',
    facilitiesPerGrid: 0,
  });
  const renameable = city.areas.filter((a) => a.level === 'street' || a.level === 'community');
  const streets = RARE_NAMES.filter((n) => n.endsWith('街道'));
  const communities = RARE_NAMES.filter((n) => n.endsWith('社区'));
  for (const a of renameable) {
    const pool = a.level === 'street' ? streets : communities;
    if (pool.length) a.name = pool.shift()!;
  }
  return city;
}

/** Which characters the bundled font (one weight) has no glyph for, reading each slice's cmap. */
function missingFromFont(chars: string[], weight: 400 | 700): string[] {
  const slices = fontFaceSlices(readFileSync(join(fontDir, `${weight}.css`), 'utf8'));
  const cmaps = new Map<string, Set<number>>();
  return chars.filter((ch) => {
    const cp = ch.codePointAt(0)!;
    return !slices.some((s) => {
      if (!inRanges(cp, s.ranges)) return false;
      const woff = s.file.replace(/\.woff2$/, '.woff');
      if (!cmaps.has(woff)) cmaps.set(woff, woffCodePoints(join(fontDir, 'files', woff)));
      return cmaps.get(woff)!.has(cp);
    });
  });
}

/** Characters of `chars` for which the page has loaded no Noto Sans SC face of that weight covering them. */
const notLoadedIn = (page: Page, chars: string[], weight: string) =>
  page.evaluate(
    ({ chars, weight }) => {
      const faces = [...document.fonts].filter(
        (f) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.weight === weight && f.status === 'loaded',
      );
      const covers = (f: PageFontFace, cp: number) =>
        f.unicodeRange.split(',').some((r: string) => {
          const [lo, hi] = r
            .trim()
            .replace(/^U\+/i, '')
            .split('-')
            .map((h: string) => parseInt(h, 16)) as [number, number | undefined];
          return cp >= lo && cp <= (hi ?? lo);
        });
      return chars.filter((ch) => !faces.some((f) => covers(f, ch.codePointAt(0)!)));
    },
    { chars, weight },
  );

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

describe('every name of the active city renders', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  let operator: { token: string };
  const city = cityWithRareNames();
  const names = city.areas.map((a) => a.name);
  const chars = [...new Set(names.join(''))].filter((ch) => ch.codePointAt(0)! > 0x7f);

  beforeAll(async () => {
    h = await startTestHub({ city: 'none' });
    const admin = await h.user('glyph.admin', 'admin', '341300');
    const files = await writeSyntheticCity(city, 'geojson', { crs: 'WGS84' });
    const areas = files.find((f) => f.role === 'areas')!;
    const up = await fetch(`${h.url}/api/city/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'x-filename': encodeURIComponent(areas.name) },
      body: areas.data,
    });
    expect(up.status).toBe(200);
    const { upload } = (await up.json()) as { upload: string };
    const started = await h.api('POST', '/api/city/imports', {
      token: admin.token,
      body: { uploads: [upload], name: '宿州试点市', crs: 'WGS84' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const job = await untilAsync(
      async () => {
        const r = await h.api('GET', `/api/city/imports/${started.body.job}`, { token: admin.token });
        return r.body.job.state !== 'running' ? r.body.job : null;
      },
      'the import job to finish',
      60_000,
    );
    expect(job.state, JSON.stringify(job)).toBe('done');
    expect(job.report.ok, JSON.stringify(job.report.issues)).toBe(true);
    const on = await h.api('POST', `/api/city/versions/${job.versionId}/activate`, { token: admin.token, body: {} });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    operator = await h.user('glyph.operator', 'city_operator', '341300');
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('uses the rare characters it means to test, and the bundled font has a glyph for each', () => {
    for (const ch of '浍埇濉砀亳亭蕲') expect(chars).toContain(ch);
    expect(chars.length).toBeGreaterThan(40);
    expect(missingFromFont(chars, 700)).toEqual([]);
    expect(missingFromFont(chars, 400)).toEqual([]);
    // The check can fail: a character outside every slice (a private-use code point) is reported.
    expect(missingFromFont(['\ue000'], 700)).toEqual(['\ue000']);
  });

  it.each([
    ['cockpit', '/'],
    ['wall', '/wall'],
    ['review', '/review'],
  ])(
    'the %s has loaded a glyph of our font for every character of every name',
    async (view, path) => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${h.url}${path}#key=${operator.token}`);
      await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
      if (view === 'cockpit') expect(await page.evaluate(() => window.linli.state.area)).toBe('341300');
      expect(await notLoadedIn(page, chars, '700')).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `city-glyphs-${view}.png`) });
      await page.close();
    },
    180_000,
  );

  it('names the finest level that has room: communities close up, then streets, then the district', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${h.url}/#key=${operator.token}`);
    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
    const levelOf = new Map(city.areas.map((a) => [a.name, a.level]));
    const parentOf = new Map(city.areas.map((a) => [a.name, city.areas.find((p) => p.code === a.parent)?.name]));
    /** The area names on screen at a zoom, once the labels have been placed for it. */
    const namesAt = async (zoom: number) => {
      const texts = await page.evaluate(async (z) => {
        const before = window.linli.stage.placements;
        window.linli.map.jumpTo({ zoom: z });
        await new Promise<void>((resolve) => {
          const check = () => (window.linli.stage.placements > before ? resolve() : requestAnimationFrame(check));
          requestAnimationFrame(check);
        });
        return window.linli.stage
          .labelsOnScreen()
          .filter((l) => l.layer === 'area-names')
          .map((l) => l.text);
      }, zoom);
      for (const t of texts) {
        // Never a name and, on screen with it, the name of an area inside it or around it.
        expect(texts, t).not.toContain(parentOf.get(t));
      }
      return new Set(texts.map((t) => levelOf.get(t)));
    };
    const opening = await page.evaluate(() => window.linli.map.getZoom());
    const seen: { zoom: number; levels: Set<string | undefined> }[] = [];
    for (let z = opening + 2; z >= opening - 6; z -= 0.5) seen.push({ zoom: z, levels: await namesAt(z) });
    const first = (level: string) => seen.findIndex((s) => s.levels.has(level));
    const only = (level: string) => seen.findIndex((s) => s.levels.size === 1 && s.levels.has(level));
    // Zooming out, communities give way to streets, streets to the district, and the district to nothing.
    expect(first('community')).toBe(0);
    expect(only('street'), JSON.stringify(seen)).toBeGreaterThan(0);
    expect(only('district'), JSON.stringify(seen.map((s) => [s.zoom, [...s.levels]]))).toBeGreaterThan(only('street'));
    expect(seen.at(-1)!.levels.size).toBe(0);
    await page.close();
  }, 180_000);
});
