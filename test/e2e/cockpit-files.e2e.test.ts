import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, startTestHub } from '../helpers/hub-fixture.js';

/**
 * The cockpit's own files as Chromium receives them from a real hub: the
 * compressed siblings the build writes (scripts/precompress.mjs), served by
 * dashboard/src/http/static-files.ts, decoded by the browser that runs them;
 * and the API replies the hub compresses as it sends them (http/compression.ts).
 */
declare const window: { linli: { state: { ready: boolean } } };

let h: Awaited<ReturnType<typeof startTestHub>>;
let browser: Browser;
let operator: { token: string };

beforeAll(async () => {
  buildProduct();
  h = await startTestHub();
  operator = await h.user('files.op', 'city_operator', AREAS.city);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const ready = (page: Awaited<ReturnType<Browser['newPage']>>) =>
  page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

describe('cockpit files over the wire', () => {
  it('gets its scripts and styles compressed, and runs what Chromium decoded', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const wire: { path: string; encoding: string | undefined; sent: number; body: number }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (!/^\/assets\/.*\.(js|css)$/.test(path) && path !== '/api/area-tree') return;
      pending.push(
        (async () => {
          const [headers, sizes, body] = await Promise.all([r.allHeaders(), r.request().sizes(), r.body()]);
          wire.push({ path, encoding: headers['content-encoding'], sent: sizes.responseBodySize, body: body.length });
        })().catch(() => undefined),
      );
    });
    await page.goto(`${h.url}/?layers=grids,alerts#key=${operator.token}`);
    await ready(page);
    await Promise.all(pending);
    // The area tree the page was drawn from: compressed on the wire, and once decoded the bytes the hub
    // sends a client that accepts no coding.
    const tree = wire.find((w) => w.path === '/api/area-tree');
    const plain = await fetch(`${h.url}/api/area-tree`, {
      headers: { authorization: `Bearer ${operator.token}`, 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(tree).toMatchObject({ body: (await plain.arrayBuffer()).byteLength });
    expect(['br', 'gzip']).toContain(tree!.encoding);
    expect(tree!.sent).toBeLessThan(tree!.body / 3);
    const big = wire.filter((w) => w.body >= 1024 && w.path.startsWith('/assets/'));
    expect(big.some((w) => w.path.endsWith('.js'))).toBe(true);
    expect(big.some((w) => w.path.endsWith('.css'))).toBe(true);
    // Chromium offers brotli to secure contexts (HTTPS, and loopback as here), gzip to the rest; either will do.
    for (const w of big) {
      expect(['br', 'gzip'], w.path).toContain(w.encoding);
      expect(w.sent, w.path).toBeLessThan(w.body);
    }
    const sent = big.reduce((n, w) => n + w.sent, 0);
    const decoded = big.reduce((n, w) => n + w.body, 0);
    console.log(`cockpit files: ${big.length}, ${decoded} bytes decoded from ${sent} sent`);
    expect(sent).toBeLessThan(decoded / 3);
    await page.close();
  });
});
