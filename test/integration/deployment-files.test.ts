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
    services: Record<string, { command?: string[] | string; volumes?: string[] }>;
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
    expect(names.filter((n) => n.startsWith('gateway-'))).toHaveLength(2);
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
});
