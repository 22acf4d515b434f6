// Slow tier (npm test only, not npm run test:fast): starts Chromium. See CONTRIBUTING.md, "Test tiers".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/helpers/browser.js';
import { startTestHub } from '../../../test/helpers/hub-fixture.js';
import { until, untilAsync } from '../../../test/helpers/processes.js';
import type { TestHub } from './insider-hub.js';

// The probe's globals, as the page's script sets them (tests are type-checked without the DOM library).
declare const window: { probe: Record<string, unknown> };
declare const document: { title: string };

/**
 * A page served by the hub under its real CSP that tries two WebSockets: one to
 * its own origin (Socket.IO's path) and one to another origin that reaches the
 * same server (localhost instead of 127.0.0.1), so only the policy can stop it.
 */
const PROBE = `
window.probe = { violations: [] };
document.addEventListener('securitypolicyviolation', (e) => window.probe.violations.push(e.blockedURI));
function tryWs(name, url) {
  try {
    const ws = new WebSocket(url);
    ws.onopen = () => { window.probe[name] = 'open'; ws.close(); };
    ws.onerror = () => { window.probe[name] = window.probe[name] || 'error'; };
  } catch (e) {
    window.probe[name] = 'threw ' + e.name;
  }
}
const path = '/socket.io/?EIO=4&transport=websocket';
tryWs('same', 'ws://' + location.host + path);
tryWs('other', 'ws://localhost:' + location.port + path);
document.title = 'probe-loaded';
`;

/**
 * Issue 17, item 6: the cockpit's CSP allowed WebSockets to any host and let
 * any site frame the cockpit. Both are now held to the hub's own origin,
 * checked here in real Chromium. (No storage is involved: SQLite only.)
 */
describe('insider: the cockpit connects and is framed only within its own origin', () => {
  let h: TestHub;
  let browser: Browser;
  let framer: Server;
  let framerUrl = '';
  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'linli-csp-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>x</title><script src="/probe.js"></script>');
    writeFileSync(join(web, 'probe.js'), PROBE);
    h = await startTestHub({ hub: { webRoot: web } });
    // Another site (another origin: localhost and a port of its own) that tries to frame the cockpit.
    framer = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe src="${h.url}/"></iframe>`),
    );
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    framerUrl = `http://localhost:${(framer.address() as { port: number }).port}/`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    framer?.close();
    await h?.stop();
  }, 60_000);

  it('sends a policy without ws:/wss: wildcards, with frame-ancestors and X-Frame-Options', async () => {
    const res = await fetch(`${h.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'));
    expect(connect?.trim()).toBe("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('lets Chromium open a WebSocket to the hub itself and refuses one to another origin', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${h.url}/`);
      await untilAsync(async () => (await page.title()) === 'probe-loaded' || null, 'probe page loaded');
      const probe = await untilAsync(
        async () => {
          const p = await page.evaluate(() => window.probe);
          return p.same && p.other ? p : null;
        },
        'both WebSocket attempts settled',
        60_000,
      );
      expect(probe.same).toBe('open');
      expect(probe.other).not.toBe('open');
      expect((probe.violations as string[]).some((u) => u.startsWith('ws://localhost:'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('does not render the cockpit inside another site’s frame', async () => {
    const page = await browser.newPage();
    const refusals: string[] = [];
    page.on('console', (m) => refusals.push(m.text()));
    try {
      await page.goto(framerUrl);
      await until(() => refusals.some((t) => /frame-ancestors|X-Frame-Options/i.test(t)) || null, 'frame refused');
      const frame = page.frames().find((f) => f !== page.mainFrame());
      // The hub's page never ran inside the frame: its script would have set this title.
      const title = frame ? await frame.evaluate(() => document.title).catch(() => '') : '';
      expect(title).not.toBe('probe-loaded');
    } finally {
      await page.close();
    }
  });
});
