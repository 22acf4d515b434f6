import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '@linli/gateway';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/processes.js';

/**
 * No Docker engine runs here, so the compose deployment is kept honest by
 * checking what can be checked: its gateway configs validate, and every
 * command and mounted file it names exists in the built tree.
 */
describe('docker-compose deployment files', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { command?: string[] | string; volumes?: string[]; profiles?: string[] }>;
  };

  it('ships gateway configs that pass validation', () => {
    const dir = join(ROOT, 'deploy', 'compose');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(loadConfig(join(dir, f), builtinRegistry()).config.devices.length).toBeGreaterThan(0);
  });

  it('runs the hub and two gateways with simulators, from scripts that exist in the build', () => {
    const names = Object.keys(compose.services);
    expect(names).toContain('hub');
    expect(names.filter((n) => n.startsWith('gateway-') && !compose.services[n]!.profiles)).toHaveLength(2);
    expect(names.filter((n) => n.startsWith('sim-'))).toHaveLength(2);
    for (const [name, svc] of Object.entries(compose.services)) {
      const cmd = Array.isArray(svc.command) ? svc.command : [];
      const script = cmd.find((c) => c.endsWith('.js'));
      if (script) expect(existsSync(join(ROOT, script)), `${name}: ${script}`).toBe(true);
      for (const v of svc.volumes ?? []) {
        const host = v.split(':')[0]!;
        if (host.startsWith('./')) expect(existsSync(join(ROOT, host)), `${name}: ${host}`).toBe(true);
      }
    }
  });

  it('points each gateway at a simulator service that exists', () => {
    for (const f of readdirSync(join(ROOT, 'deploy', 'compose'))) {
      const cfg = parse(readFileSync(join(ROOT, 'deploy', 'compose', f), 'utf8')) as {
        devices: { id: string; type: string; transport: { host: string; unitId: number } }[];
      };
      for (const d of cfg.devices) {
        expect(Object.keys(compose.services)).toContain(d.transport.host);
        // The simulator serves this device's type at this unit id.
        const cmd = compose.services[d.transport.host]!.command as string[];
        const units = cmd.filter((_, i) => cmd[i - 1] === '--unit');
        expect(units, `${f}: ${d.id}`).toContain(`${d.transport.unitId}=${d.type}`);
      }
    }
  });

  it('has a city profile: PostgreSQL, Redis, two hub nodes behind a sticky balancer, and a load', () => {
    const city = Object.entries(compose.services).filter(([, svc]) => svc.profiles?.includes('city'));
    const names = city.map(([n]) => n);
    for (const n of ['postgres', 'redis', 'hub-1', 'hub-2', 'balancer', 'load']) expect(names).toContain(n);
    for (const n of ['hub-1', 'hub-2']) {
      const cmd = ([] as string[]).concat(compose.services[n]!.command ?? []).join(' ');
      expect(cmd).toMatch(/--database /);
      expect(cmd).toMatch(/--redis redis:\/\/redis:6379/);
    }
    const cfg = readFileSync(join(ROOT, 'deploy', 'haproxy', 'haproxy.cfg'), 'utf8');
    // Sticky sessions for the long-polling fallback, health checks, and both nodes.
    expect(cfg).toMatch(/^\s*cookie \w+ insert/m);
    expect(cfg).toMatch(/option httpchk GET \/healthz/);
    for (const n of ['hub-1', 'hub-2']) expect(cfg).toMatch(new RegExp(`server ${n} ${n}:8080 check cookie ${n}`));
    // The client's address travels in X-Forwarded-For, believed by the hubs from the balancer's pinned address only.
    expect(cfg).toMatch(/^\s*option forwardfor\b/m);
    const balancer = compose.services.balancer as { networks?: { default?: { ipv4_address?: string } } };
    const proxy = balancer.networks?.default?.ipv4_address;
    expect(proxy).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const n of ['hub-1', 'hub-2'])
      expect(([] as string[]).concat(compose.services[n]!.command ?? []).join(' ')).toContain(
        `--trusted-proxy ${proxy}`,
      );
    // No password in the compose file: the database URL comes from a secret file outside git.
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/postgres:\/\/\w+:[^@$]+@/);
  });
});
