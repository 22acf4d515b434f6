import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../src/flows/login-limiter.js';
import { createLogger } from '../../src/log.js';
import { localRoute } from '../../src/local-page/route.js';
import { ABSOLUTE_MS, IDLE_MS, Sessions } from '../../src/local-page/session.js';

const PASSWORD = 'a long installer password';
let server: Server;
let base: string;
const tested: string[] = [];

beforeAll(async () => {
  const route = localRoute({
    hash: bcrypt.hashSync(PASSWORD, 4),
    limiter: new LoginLimiter(),
    log: createLogger('t', 'silent'),
    gatewayId: 'gw-1',
    state: async () => ({
      gatewayId: 'gw-1',
      now: 0,
      uplink: 'online',
      flowsVersion: null,
      buffer: { depth: 0, oldestReceivedAt: null },
      devices: [{ id: 'd-1', type: 't', target: 'x', online: true, values: [{ name: 'v', value: 1, unit: '' }] }],
      events: [],
    }),
    test: (id) => {
      if (id !== 'd-1') return undefined;
      tested.push(id);
      return Promise.resolve({ id, type: 't', target: 'x', ok: false, detail: 'no <b>answer</b>', fix: 'plug it in' });
    },
  });
  server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const form = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
async function login(): Promise<string> {
  const r = await form('/local/login', `password=${encodeURIComponent(PASSWORD)}`);
  expect(r.status).toBe(303);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

describe('local page sessions', () => {
  it('expire after the idle time and after the absolute time, and refuse malformed tokens', () => {
    let now = 1_000_000;
    const s = new Sessions(() => now);
    const a = s.create();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    now += IDLE_MS - 1;
    expect(s.get(a)).toBeDefined();
    now += IDLE_MS + 1;
    expect(s.get(a)).toBeUndefined();
    const b = s.create();
    // Kept busy, it lives until the absolute limit and not a step beyond.
    const alive: boolean[] = [];
    for (let t = 0; t <= ABSOLUTE_MS / (IDLE_MS / 2); t++) {
      now += IDLE_MS / 2;
      alive.push(s.get(b) !== undefined);
    }
    expect(alive.slice(0, -1).every(Boolean)).toBe(true);
    expect(alive.at(-1)).toBe(false);
    expect(s.get('../../etc')).toBeUndefined();
    expect(s.get(undefined)).toBeUndefined();
  });
});

describe('local page route', () => {
  it('logs in with the right password only, over a form from this origin', async () => {
    const wrong = await form('/local/login', 'password=nope');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('密码错误');
    const noOrigin = await fetch(`${base}/local/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(noOrigin.status).toBe(403);
    const json = await form('/local/login', JSON.stringify({ password: PASSWORD }), {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(400);
    const big = await form('/local/login', `password=${'x'.repeat(10_000)}`);
    expect(big.status).toBe(400);
    const cookie = await login();
    expect(cookie).toMatch(/^linli_local=[A-Za-z0-9_-]{43}$/);
  });

  it('validates the device id, escapes what it shows, and answers JSON or the page', async () => {
    const cookie = await login();
    const bad = await form('/local/test', 'device=../x', { cookie, accept: 'application/json' });
    expect(bad.status).toBe(400);
    const unknown = await form('/local/test', 'device=d-2', { cookie, accept: 'application/json' });
    expect(unknown.status).toBe(404);
    const ok = await form('/local/test', 'device=d-1', { cookie, accept: 'application/json' });
    expect(await ok.json()).toMatchObject({ id: 'd-1', ok: false, fix: 'plug it in' });
    // Without the script: a plain form post, then the page shows the verdict once, escaped.
    const plain = await form('/local/test', 'device=d-1', { cookie });
    expect(plain.status).toBe(303);
    const page = await (await fetch(`${base}/local/`, { headers: { cookie } })).text();
    expect(page).toContain('失败 fail</span> no &lt;b&gt;answer&lt;/b&gt;');
    const again = await (await fetch(`${base}/local/`, { headers: { cookie } })).text();
    expect(again).not.toContain('失败 fail');
    expect(tested).toEqual(['d-1', 'd-1']);
  });

  it('logs out: the token stops working', async () => {
    const cookie = await login();
    expect((await fetch(`${base}/local/state`, { headers: { cookie } })).status).toBe(200);
    const out = await form('/local/logout', '', { cookie });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${base}/local/state`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('local page fonts', () => {
  it('serves Noto Sans SC from the gateway by unicode range, so a phone without CJK fonts shows no boxes', async () => {
    const page = await fetch(`${base}/local/`, { redirect: 'manual' });
    expect(page.headers.get('content-security-policy')).toContain("font-src 'self'");
    const css = await (await fetch(`${base}/local/fonts.css`)).text();
    const faces = [...css.matchAll(/url\(\/local\/fonts\/([^)]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)];
    expect(faces.length).toBeGreaterThan(90);
    expect(css).not.toContain('./files/');
    // The slice that holds 浍 (U+6D4D), as a street name needs it.
    const slice = faces.find(([, , ranges]) =>
      ranges!.split(',').some((r) => {
        const [lo, hi] = r
          .trim()
          .slice(2)
          .split('-')
          .map((h) => parseInt(h, 16));
        return 0x6d4d >= lo! && 0x6d4d <= (hi ?? lo!);
      }),
    );
    expect(slice).toBeDefined();
    const font = await fetch(`${base}/local/fonts/${slice![1]}`);
    expect(font.status).toBe(200);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await font.arrayBuffer()).toString('latin1', 0, 4)).toBe('wOF2');
    for (const bad of ['..%2F..%2Fpackage.json', 'noto-sans-sc-4-700-normal.woff2', 'x.woff2'])
      expect((await fetch(`${base}/local/fonts/${bad}`)).status).toBe(404);
  });
});
