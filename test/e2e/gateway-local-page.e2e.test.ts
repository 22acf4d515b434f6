import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRegistry, ModbusSimulator } from '@linli/drivers';
import { Controller, createLogger, loadConfig, writePasswordHash } from '@linli/gateway';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { freePort, ROOT, untilAsync } from '../helpers/processes.js';
import { serialPair } from '../helpers/socat.js';

/**
 * The gateway's local page in real Chromium on a phone-sized viewport: a
 * gateway (in this process, Node-RED embedded, no hub reachable) polling a
 * simulated lift, safety module and energy meter over Modbus TCP on
 * loopback. Wrong password refused, login, live values following the
 * simulator, a device test that passes, then fails with the fix once the
 * simulator is stopped; cross-origin and session-less requests refused.
 */
const GW = 'gw-341302001001';
const PASSWORD = 'installer-Pa55-for-the-page';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const PHONE = { width: 375, height: 800 };
let dir: string;
let httpPort: number;
let simPort: number;
let sim: ModbusSimulator;
/** A second module on an RS-485 line (a socat pty pair): the service holds that port. */
let rtuSim: ModbusSimulator;
let line: Awaited<ReturnType<typeof serialPair>>;
let gateway: Controller;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const logLines: string[] = [];
const base = () => `http://127.0.0.1:${httpPort}`;
const card = (id: string) => page.locator(`li.dev[data-id="${id}"]`);
/** Waits until one of the elements matching `selector` reads `re` (the page updates itself; no reload). */
const shows = (selector: string, re: RegExp, what: string) =>
  untilAsync(async () => (await page.locator(selector).allTextContents()).some((t) => re.test(t)), what, 60_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-localpage-'));
  [httpPort, simPort] = [await freePort(), await freePort()];
  const registry = builtinRegistry();
  sim = new ModbusSimulator({
    host: '127.0.0.1',
    port: simPort,
    seed: 7,
    units: [
      { unitId: 1, def: (await registry.get('energy-meter-3p')) as never },
      { unitId: 2, def: (await registry.get('di-safety-sensor')) as never },
      { unitId: 4, def: (await registry.get('elevator-monitor')) as never },
    ],
  });
  await sim.start();
  line = await serialPair();
  rtuSim = new ModbusSimulator({
    host: '127.0.0.1',
    port: 0,
    serial: { path: line.a, baudRate: 19200 },
    seed: 8,
    units: [{ unitId: 3, def: (await registry.get('di-safety-sensor')) as never }],
  });
  await rtuSim.start();
  // The hub is never reachable here: the page must work on site without it.
  writeFileSync(join(dir, 'gateway.token'), 'x'.repeat(48), { mode: 0o600 });
  const dev = (id: string, type: string, unitId: number) => `  - id: ${id}
    type: ${type}
    pollMs: 300
    timeoutMs: 500
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: ${unitId} }
    location: { lng: 117.012, lat: 33.661, gridId: "341302001001002" }
`;
  writeFileSync(
    join(dir, 'gateway.yaml'),
    `version: 1
gateway:
  id: ${GW}
  community: "341302001001"
dataDir: ./state
hub:
  url: http://127.0.0.1:${await freePort()}
  tokenFile: ./gateway.token
http: { host: 127.0.0.1, port: ${httpPort} }
flows: {}
devices:
${dev('meter-01', 'energy-meter-3p', 1)}${dev('safety-01', 'di-safety-sensor', 2)}${dev('lift-04', 'elevator-monitor', 4)}  - id: safety-rtu
    type: di-safety-sensor
    pollMs: 300
    timeoutMs: 500
    transport: { kind: modbus-rtu, path: ${line.b}, baudRate: 19200, unitId: 3 }
    location: { lng: 117.012, lat: 33.661, gridId: "341302001001002" }
`,
  );
  const loaded = loadConfig(join(dir, 'gateway.yaml'), registry);
  writePasswordHash(loaded.flowsPasswordFile!, PASSWORD);
  gateway = new Controller(
    loaded,
    registry,
    createLogger('gw', 'info', { write: (l: string) => void logLines.push(l) }),
  );
  await gateway.start();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => console.error('page error', e));
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await sim?.stop();
  await rtuSim?.stop();
  await line?.stop();
});

describe('the gateway local page', () => {
  it('refuses a wrong password and sets no session', async () => {
    const res = await page.goto(`${base()}/`);
    expect(res!.status()).toBe(200);
    expect(page.url()).toBe(`${base()}/local/`);
    await expect(page.locator('label[for=password]').textContent()).resolves.toContain('安装密码');
    await page.fill('#password', 'not-the-password');
    const [post] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/local/login')),
      page.click('button[type=submit]'),
    ]);
    expect(post.status()).toBe(401);
    await expect(page.locator('#login-error').textContent()).resolves.toContain('密码错误 Wrong password');
    expect(await context.cookies()).toEqual([]);
    expect(logLines.some((l) => l.includes('local page login failed'))).toBe(true);
    // No secret in the log, right or wrong.
    expect(logLines.join('\n')).not.toContain('not-the-password');
  });

  it('refuses the data and the test without a session, and a POST from another origin even with one', async () => {
    const state = await fetch(`${base()}/local/state`);
    expect(state.status).toBe(401);
    const test = await fetch(`${base()}/local/test`, {
      method: 'POST',
      headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'device=lift-04',
    });
    expect(test.status).toBe(401);
    const crossLogin = await fetch(`${base()}/local/login`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: PASSWORD }).toString(),
    });
    expect(crossLogin.status).toBe(403);
    expect(crossLogin.headers.get('set-cookie')).toBeNull();
  });

  it('logs in on a 375 px phone and lists the devices with live values from the simulator', async () => {
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${base()}/local/`), page.click('button[type=submit]')]);
    await page.waitForSelector('#devices');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'linli_local', httpOnly: true, sameSite: 'Strict', path: '/local' });
    expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(15 * 60 + 5);
    // The strict CSP is what the browser got.
    const res = await page.request.get(`${base()}/local/`);
    expect(res.headers()['content-security-policy']).toContain("default-src 'none'; script-src 'self'");
    await expect(page.locator('li.dev').count()).resolves.toBe(4);
    await expect(page.locator('a[href="/admin/flows/"]').count()).resolves.toBe(1);
    await expect(page.locator('#flows-version').textContent()).resolves.toBe('shipped-1');
    await expect(page.locator('#uplink').textContent()).resolves.toContain('未连接');
    // The hub port is closed: the page says why, which hub and since when.
    await shows(
      '#link-problem',
      /^中断自 down since .* · http:\/\/127\.0\.0\.1:\d+ · 原因 reason: websocket error: connect ECONNREFUSED/,
      'the link problem',
    );
    // Live: a value set in the simulator appears without reloading the page.
    await shows('li.dev[data-id="lift-04"] .state', /^在线 online$/, 'lift-04 online');
    await expect(card('lift-04').locator('.values').textContent()).resolves.toMatch(/serviceMode 0(?!\d)/);
    sim.set(4, 'serviceMode', 7);
    await shows('li.dev[data-id="lift-04"] .values', /serviceMode 7(?!\d)/, 'the new service mode on the page');
    await shows('li.dev[data-id="meter-01"] .values', /voltageA 2\d\d(\.\d+)? V/, 'the meter voltage with its unit');
    await expect(page.locator('#online').textContent()).resolves.toBe('4/4');
    // Recent events: the devices coming online were committed to the outbox.
    await shows('#events li', /^设备上线 device\.online/, 'a device.online event');
    // A smoke alarm raised at the module appears among the recent events without a reload.
    sim.set(2, 'clock', -600_000);
    sim.set(2, 'smoke', 1);
    await shows('#events li', /^烟感报警 smoke\.alarm 紧急.*safety-01/, 'the smoke alarm among the events');
    // Fits the phone: nothing wider than the viewport.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  });

  it('a device test shows pass', async () => {
    const c = card('lift-04');
    await c.locator('button', { hasText: '测试 test' }).click();
    await c.locator('.result .pass').waitFor({ timeout: 60_000 });
    await expect(c.locator('.result').textContent()).resolves.toMatch(/通过 pass 8\/8 points read/);
    // On the serial port the service holds, the verdict is the running driver's.
    const rtu = card('safety-rtu');
    await rtu.locator('button', { hasText: '测试 test' }).click();
    await rtu.locator('.result .pass').waitFor({ timeout: 60_000 });
    await expect(rtu.locator('.result').textContent()).resolves.toContain('running driver reads 5 points');
    await page.screenshot({ path: join(ARTIFACTS, 'gateway-local-page.png'), fullPage: true });
    copyFileSync(join(ARTIFACTS, 'gateway-local-page.png'), join(ROOT, 'docs', 'images', 'gateway-local-page.png'));
  });

  it('with the simulator stopped, the test shows fail with the fix, and the device goes offline', async () => {
    await sim.stop();
    const c = card('safety-01');
    await c.locator('button', { hasText: '测试 test' }).click();
    await c.locator('.result .fail').waitFor({ timeout: 60_000 });
    const text = (await c.locator('.result').textContent())!;
    expect(text).toContain('失败 fail');
    expect(text).toContain('unreachable');
    expect(text).toContain(
      `处理 fix: check the address 127.0.0.1:${simPort}, that the device or serial server is powered`,
    );
    await shows('li.dev[data-id="safety-01"] .state', /^离线 offline$/, 'safety-01 offline');
    // The serial module silent too: its test fails from the running driver's polls, with the fix.
    await rtuSim.stop();
    await shows('li.dev[data-id="safety-rtu"] .state', /^离线 offline$/, 'safety-rtu offline');
    const rtu = card('safety-rtu');
    await rtu.locator('button', { hasText: '测试 test' }).click();
    await rtu.locator('.result .fail').waitFor({ timeout: 60_000 });
    await expect(rtu.locator('.result').textContent()).resolves.toMatch(
      /失败 fail the running driver gets no answer.*处理 fix: check the address, baud rate\/parity and the A\/B wiring/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'gateway-local-page-fail.png'), fullPage: true });
  });

  it('loaded nothing from outside this machine, and logs out', async () => {
    expect(requests.filter((u) => !isLocal(u))).toEqual([]);
    await Promise.all([page.waitForURL(`${base()}/local/`), page.click('text=退出 Log out')]);
    await page.waitForSelector('#password');
    expect(await context.cookies()).toEqual([]);
  });
});
