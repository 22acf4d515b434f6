import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { alive, descendants } from '../helpers/process-tree.js';
import { freePort, type Proc, ROOT, run, until } from '../helpers/processes.js';

/**
 * The foundation's promise, end to end: `npm start` as a user runs it, the
 * cockpit in real Chromium (WebGL through SwiftShader), the ten communities
 * drawn, a simulated device's event arriving through gateway, SQLite buffer,
 * Socket.IO and hub, and nothing loaded from outside this machine.
 */
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

/** What the cockpit page exposes for tests (see dashboard/web/src/main.ts). */
interface CockpitWindow {
  linli: {
    state: {
      ready: boolean;
      communities: number;
      eventsReceived: number;
      gateways: number;
      lastEvent: LinliEvent | null;
    };
    map?: { queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[] };
  };
}
declare const window: CockpitWindow;
declare const document: { querySelectorAll(s: string): { length: number } };
let demo: Proc;
let dataDir: string;
let browser: Browser;
let url: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'linli-demo-'));
  const port = await freePort();
  demo = run('npm', ['start'], { env: { LINLI_PORT: String(port), LINLI_DATA: dataDir }, detached: true });
  url = await until(
    () => /驾驶舱 Cockpit[^:]*: (http:\/\/\S+)/.exec(demo.out())?.[1],
    'the cockpit URL from npm start',
    // Over fifty processes on a small machine: generous, it only bounds a hang.
    270_000,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  // If a test failed before Ctrl-C, make sure nothing of the demo outlives the run.
  if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
    try {
      process.kill(-demo.child.pid!, 'SIGKILL');
    } catch {}
  }
});

describe('npm start → cockpit in Chromium', () => {
  it('draws the ten communities and shows a live event from a simulated device, loading nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(url);

    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 60_000 });
    const drawn = await page.evaluate(() => {
      const feats = window.linli.map!.queryRenderedFeatures({ layers: ['community-fill'] });
      return [...new Set(feats.map((f) => f.properties.name as string))].sort();
    });
    expect(drawn).toHaveLength(10);
    expect(drawn).toContain('韩池孜社区');
    expect(await page.evaluate(() => window.linli.state.communities)).toBe(10);

    await page.waitForFunction(() => window.linli.state.eventsReceived > 0, null, { timeout: 60_000 });
    const last = await page.evaluate(() => window.linli.state.lastEvent!);
    expect(last.gatewayId).toMatch(/^gw-3413020\d{5}$/);
    // The feed's newest line names a real event: a Chinese kind label and a time, not an empty placeholder.
    expect((await page.locator('#feed li').first().textContent())?.trim().length).toBeGreaterThan(4);
    expect(await page.locator('#feed li').count()).toBeGreaterThan(0);
    expect(await page.locator('#link-text').textContent()).toBe('已连接');

    // The event really passed through the gateway's SQLite buffer (which assigns sequences) and the hub's store.
    const gwBuffer = new Database(join(dataDir, 'gateways', last.gatewayId, 'state', 'buffer.sqlite'), {
      readonly: true,
    });
    const produced = (gwBuffer.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: number })
      .value;
    gwBuffer.close();
    expect(produced).toBeGreaterThanOrEqual(last.seq);
    const hubDb = new Database(join(dataDir, 'hub', 'hub.sqlite'), { readonly: true });
    const stored = hubDb
      .prepare('SELECT id FROM events WHERE gateway_id = ? AND seq = ?')
      .get(last.gatewayId, last.seq) as { id: string } | undefined;
    hubDb.close();
    expect(stored?.id).toBe(last.id);

    // Device status: every community gateway reports its backlog and devices.
    await page.waitForFunction(() => window.linli.state.gateways === 10, null, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('#gateways tr').length === 10, null, {
      timeout: 30_000,
    });
    expect(await page.locator('#gateways tr').first().locator('td').nth(1).textContent()).toMatch(/^在线/);

    // Let a few more events and label rendering settle for the screenshot.
    await page.waitForTimeout(3000);
    await page.screenshot({ path: join(ARTIFACTS, 'cockpit.png') });
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => !isLocal(r))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('stops every process it started on Ctrl-C', async () => {
    const pids = descendants(demo.child.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(21); // hub + 10 simulators + 10 gateways (+ npm's shell)
    process.kill(-demo.child.pid!, 'SIGINT');
    await demo.exited;
    // npm itself dies of the SIGINT the terminal sends the whole group; the orchestrator exits 0 after stopping its children.
    expect(demo.child.exitCode === 0 || demo.child.signalCode === 'SIGINT').toBe(true);
    await until(() => pids.every((p) => !alive(p)), 'all demo processes to exit', 10_000);
    expect(demo.out()).toContain('已停止 stopped.');
  });
});
