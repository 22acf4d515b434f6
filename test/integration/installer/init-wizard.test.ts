import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { GATEWAY_CLI } from '../../helpers/processes.js';
import { gw } from './cli-run.js';

const DRIVER = fileURLToPath(new URL('./pty-drive.py', import.meta.url));
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

/** Runs `linli-gateway init` on a pseudo-terminal, answering its prompts in order (async: the hub runs in this process). */
function typeInto(args: string[], steps: [string, string][]): Promise<{ status: number | null; stdout: string }> {
  const spec = JSON.stringify({ cmd: [process.execPath, GATEWAY_CLI, 'init', ...args], steps, timeout: 60 });
  const p = spawn('/usr/bin/python3', [DRIVER, spec], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  p.stdout.on('data', (d) => (stdout += d));
  return new Promise((resolve) => p.once('exit', (status) => resolve({ status, stdout })));
}

describe('linli-gateway init, the wizard', () => {
  it('online: picks the community from the hub, re-asks a bad answer, writes a commented config that validates', async () => {
    const hub = await startTestHub();
    stops.push(async () => hub.stop());
    const installer = await hub.user('installer-w', 'installer', AREAS.streetA);
    const dir = mkdtempSync(join(tmpdir(), 'linli-init-'));
    const cfg = join(dir, 'gateway.yaml');
    // The wizard lists the communities of the installer's area in code order; ours is number n.
    const areas = await hub.api('GET', '/api/areas', { token: installer.token });
    const communities = (areas.body.features as { properties: { code: string; level: string } }[])
      .filter((f) => f.properties.level === 'community')
      .map((f) => f.properties.code)
      .sort();
    const n = communities.indexOf(AREAS.communityA) + 1;
    expect(n).toBeGreaterThan(0);

    const done = await typeInto(
      ['--config', cfg],
      [
        ['hub address', 'hub.local\r'],
        ['hub address', `${hub.url}\r`],
        ['installer token', `${installer.token}\r`],
        ['pick the community', '99\r'],
        ['pick the community', `${n}\r`],
        ['gateway id', '\r'],
        ['gateway name', '东门机房\r'],
        ['data directory', './data\r'],
        ['local page', '\r'],
      ],
    );
    expect(done.status, done.stdout).toBe(0);
    expect(done.stdout).toContain('本地网页密码未设置');
    expect(done.stdout).toContain('✗ 中心地址应形如');
    expect(done.stdout).toContain(`${n}. ${AREAS.communityA}`);
    // The token was typed but never shown.
    expect(done.stdout).not.toContain(installer.token);
    expect(done.stdout).toContain(`wrote ${cfg}`);
    const text = readFileSync(cfg, 'utf8');
    expect(text).toMatch(/^# 邻里网关配置 Linli gateway configuration/);
    expect(text).toContain('# 网关凭据 written by `linli-gateway enroll`');
    const c = parse(text);
    expect(c).toMatchObject({
      version: 1,
      gateway: { id: `gw-${AREAS.communityA}-01`, name: '东门机房', community: AREAS.communityA },
      dataDir: './data',
      hub: { url: hub.url, tokenFile: './data/gateway.token' },
      http: { host: '127.0.0.1', port: 9100 },
      devices: [],
    });
    // The box is placed inside its community, on one of its grids.
    expect(c.gateway.location.gridId.startsWith(AREAS.communityA)).toBe(true);
    expect((await gw(['config', 'validate', cfg])).code).toBe(0);
    // The installer's token is not written anywhere in the config.
    expect(text).not.toContain(installer.token);
  }, 120_000);

  it('offline: types the community code; the same answers from flags give the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-init-'));
    const cfg = join(dir, 'gateway.yaml');
    const r = await typeInto(
      ['--config', cfg],
      [
        ['hub address', 'http://hub.example:8080\r'],
        ['installer token', '\r'],
        ['community code', '3413\r'],
        ['community code', '341302001001\r'],
        ['gateway id', 'gw-east\r'],
        ['gateway name', '\r'],
        ['data directory', '/var/lib/linli-gateway\r'],
        ['local page', 'short\r'],
        ['local page', 'Local-page-2026\r'],
        ['gateway position', '116.98,33.64\r'],
        ['grid code', '\r'],
      ],
    );
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('社区编码为 12 位数字');
    // The local page password: refused when short, never echoed or written in clear, its bcrypt hash beside the config.
    expect(r.stdout).toContain('密码至少 10 位');
    expect(r.stdout).not.toContain('Local-page-2026');
    const hash = readFileSync(join(dir, 'flows.password'), 'utf8');
    expect(hash).toMatch(/^\$2[aby]\$/);
    expect(statSync(join(dir, 'flows.password')).mode & 0o777).toBe(0o600);
    expect(readFileSync(cfg, 'utf8')).not.toContain('Local-page-2026');
    const c = parse(readFileSync(cfg, 'utf8'));
    expect(c.gateway).toEqual({
      id: 'gw-east',
      community: '341302001001',
      location: { lng: 116.98, lat: 33.64, gridId: '341302001001001' },
    });

    // Not on a terminal: flags only, and a missing one is named.
    const flagsCfg = join(dir, 'flags.yaml');
    const missing = await gw(['init', '--config', flagsCfg, '--hub', 'http://hub.example:8080']);
    expect(missing.code).toBe(64);
    expect(missing.err).toContain('--community, --gateway-id, --data-dir');
    const flags = await gw([
      'init',
      '--config',
      flagsCfg,
      '--hub',
      'http://hub.example:8080',
      '--community',
      '341302001001',
      '--gateway-id',
      'gw-east',
      '--data-dir',
      '/var/lib/linli-gateway',
      '--json',
    ]);
    expect(flags.code).toBe(0);
    expect(JSON.parse(flags.out)).toMatchObject({ ok: true, file: flagsCfg });
    expect(parse(readFileSync(flagsCfg, 'utf8')).hub).toEqual(c.hub);
    // An existing config is never overwritten by accident.
    expect((await gw(['init', '--config', flagsCfg, '--hub', 'http://h:1'])).err).toContain('exists; use --force');
  }, 120_000);
});
