import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BadHub, silentHub, upgradeThenCloseHub } from '../helpers/bad-hubs.js';
import { freePort, GATEWAY_CLI, node, type Proc, until, untilAsync } from '../helpers/processes.js';
import { configText, gw } from './installer/cli-run.js';

/**
 * A hub that never answers and one that closes right after the WebSocket
 * upgrade: the real gateway process retries within seconds (not Socket.IO's
 * 20 s default), says at warn level which hub is unreachable and why once it
 * has been so for longer than `unreachableWarnMs`, and `linli-gateway status`
 * shows the same reason.
 */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function gatewayAgainst(hub: BadHub): Promise<{ proc: Proc; cfg: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-badhub-'));
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'state', 'gateway.token'), 'x'.repeat(43), { mode: 0o600 });
  const httpPort = await freePort();
  const cfg = join(dir, 'gateway.yaml');
  writeFileSync(
    cfg,
    configText({ extra: `http: { host: 127.0.0.1, port: ${httpPort} }\n` }).replace(
      /hub: \{ url: "[^"]*", tokenFile: \.\/state\/gateway\.token \}/,
      `hub: { url: "${hub.url}", tokenFile: ./state/gateway.token, connectTimeoutMs: 1000, reconnectMaxMs: 2000, unreachableWarnMs: 1500 }`,
    ),
  );
  const proc = node(GATEWAY_CLI, ['run', '--config', cfg]);
  stops.push(() => proc.stop());
  return { proc, cfg };
}

/** The gateway's JSON log lines at warn (40) or above. */
const warnings = (p: Proc) =>
  p
    .out()
    .split('\n')
    .flatMap((l) => {
      try {
        const j = JSON.parse(l) as { level: number; msg: string; hub?: string; reason?: string };
        return j.level >= 40 ? [j] : [];
      } catch {
        return [];
      }
    });

describe.each([
  ['accepts TCP and never answers', silentHub, /no answer from the hub within 1000 ms/],
  ['completes the WebSocket upgrade, then closes', upgradeThenCloseHub, /closed the connection before the handshake/],
])('a hub that %s', (_name, start, reason) => {
  it('is retried within seconds, logged at warn naming the hub and the reason, and shown by status', async () => {
    const hub = await start();
    stops.push(() => hub.stop());
    const { proc, cfg } = await gatewayAgainst(hub);
    // Socket.IO alone would try once per 20 s; five attempts within the bound need a short connect timeout.
    await until(() => hub.attempts() >= 5 || null, 'five connection attempts at the stand-in', 60_000);
    const line = await until(
      () => warnings(proc).find((w) => /unreachable for \d+ s/.test(w.msg)),
      'the unreachable warn line',
      60_000,
    );
    expect(line.msg).toContain(hub.url);
    expect(line.hub).toBe(hub.url);
    // While Node-RED loads, the event loop can stall past the 1 s timeout, so an early attempt may time out either way.
    expect(line.reason).toMatch(/no answer from the hub|closed the connection before the handshake/);
    // The first failure of a kind is said at warn too, not only after the unreachable delay.
    await until(
      () => warnings(proc).some((w) => w.msg === 'hub connection failed; retrying' && reason.test(w.reason ?? '')),
      'a warn line with the reason',
      60_000,
    );
    const status = await untilAsync(async () => {
      const r = await gw(['status', '--config', cfg, '--json']);
      const j = JSON.parse(r.out);
      return j.ok && reason.test(j.linkError ?? '') ? j : null;
    }, 'the reason in linli-gateway status');
    expect(status).toMatchObject({ uplink: 'offline', hub: hub.url, linkError: expect.stringMatching(reason) });
    expect(status.offlineSince).toBeGreaterThan(0);
    const text = await gw(['status', '--config', cfg]);
    expect(text.out).toMatch(reason);
    expect(text.out).toContain('中断自 down since');
  }, 120_000);
});
