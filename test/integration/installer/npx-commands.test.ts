import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { ROOT } from '../../helpers/processes.js';
import { COMMUNITY } from './cli-run.js';

/**
 * The installer's commands as the docs give them: `npx linli-gateway …`,
 * `npx linli-hub …`, `npx linli-sim …` from the repository after `npm install`,
 * through npm's own bin links (node_modules/.bin), with `--no-install` so npx
 * can never fetch a package of that name from the registry instead.
 */
function npx(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['--no-install', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('npx: the installed commands', () => {
  it('linli-hub, linli-gateway and linli-sim answer --help through npm’s bin links', async () => {
    for (const [bin, says] of [
      ['linli-hub', 'linli-hub'],
      ['linli-gateway', '邻里边缘网关'],
      ['linli-sim', 'linli-sim'],
    ] as const) {
      const r = await npx([bin, '--help']);
      expect(r.code, `${bin}: ${r.err}`).toBe(0);
      expect(r.out + r.err).toContain(says);
    }
  }, 120_000);

  it('an installer writes, validates and enrolls a gateway config with npx linli-gateway', async () => {
    const hub = await startTestHub();
    stops.push(() => hub.stop());
    const installer = await hub.user('installer-npx', 'installer', AREAS.streetA);
    const dir = mkdtempSync(join(tmpdir(), 'linli-npx-'));
    const cfg = join(dir, 'gateway.yaml');

    const init = await npx([
      'linli-gateway',
      'init',
      '--config',
      cfg,
      '--community',
      COMMUNITY,
      '--hub',
      hub.url,
      '--gateway-id',
      'gw-npx-01',
      '--data-dir',
      join(dir, 'state'),
    ]);
    expect(init.code, init.err + init.out).toBe(0);
    expect(readFileSync(cfg, 'utf8')).toContain('gw-npx-01');

    const valid = await npx(['linli-gateway', 'config', 'validate', cfg]);
    expect(valid.code, valid.err + valid.out).toBe(0);

    // A misspelt field is refused with the file, the line and the nearest valid name.
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(cfg, 'utf8').replace(/^dataDir:/m, 'dataDri:'));
    const refused = await npx(['linli-gateway', 'config', 'validate', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.out + refused.err).toMatch(/bad\.yaml:\d+/);
    expect(refused.out + refused.err).toContain('dataDir');

    const issued = await hub.api('POST', '/api/enrollment-codes', {
      token: installer.token,
      body: { gatewayId: 'gw-npx-01', areaCode: COMMUNITY },
    });
    expect(issued.status).toBe(200);
    const enrolled = await npx(['linli-gateway', 'enroll', '--config', cfg, '--code', issued.body.code]);
    expect(enrolled.code, enrolled.err + enrolled.out).toBe(0);
    expect(enrolled.out).toContain('gw-npx-01');
    const tokenFile = join(dir, 'state', 'gateway.token');
    expect(existsSync(tokenFile)).toBe(true);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(await hub.store.gateway('gw-npx-01')).toMatchObject({ areaCode: COMMUNITY, revoked: false });
  }, 180_000);
});
