import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, node, type Proc, ready, SIM_CLI } from '../../helpers/processes.js';
import { configText, GRID, gw } from './cli-run.js';

const procs: Proc[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

async function sim(args: string[]): Promise<number> {
  const port = await freePort();
  const p = node(SIM_CLI, ['--port', String(port), ...args]);
  procs.push(p);
  await ready(p, `linli-sim ${args.join(' ')}`);
  return port;
}

const at = `    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }`;

interface Row {
  id: string;
  ok: boolean;
  detail: string;
  fix: string;
}

describe('linli-gateway test', () => {
  it('passes every device on a good config and explains each failure on a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-devtest-'));
    writeFileSync(join(dir, 'gate.pw'), 'Gate-pw-4711\n', { mode: 0o600 });
    writeFileSync(join(dir, 'wrong.pw'), 'not-the-password\n', { mode: 0o600 });
    const modbus = await sim(['--unit', '1=energy-meter-3p']);
    const meters = await sim(['--dlt645', '000000000001', '--dlt645', '000000000002']);
    const gate = await sim(['--gate', '--user', 'admin', '--password-file', join(dir, 'gate.pw')]);
    const nobody = await freePort();

    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      configText({
        devices: `  - id: meter-01
    type: energy-meter-3p
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${modbus}, unitId: 1 }
${at}
  - id: emeter-0002
    type: dlt645-meter
    transport: { kind: dlt645, address: "000000000002", line: { kind: tcp, host: 127.0.0.1, port: ${meters} } }
${at}
  - id: gate-east
    type: isapi-door-terminal
    transport: { kind: isapi, host: 127.0.0.1, port: ${gate}, username: admin, passwordFile: ./gate.pw }
${at}`,
      }),
    );
    const ok = await gw(['test', '--config', good, '--json']);
    const okBody = JSON.parse(ok.out);
    expect(okBody.results.map((r: Row) => [r.id, r.ok])).toEqual([
      ['meter-01', true],
      ['emeter-0002', true],
      ['gate-east', true],
    ]);
    expect(ok.code).toBe(0);
    // The human table says the same.
    const table = await gw(['test', '--config', good]);
    expect(table.out).toMatch(/meter-01\s+energy-meter-3p.*PASS/);
    expect(table.out).toContain('all 3 devices pass');

    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      configText({
        devices: `  - id: meter-wrong-unit
    type: energy-meter-3p
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${modbus}, unitId: 7 }
${at}
  - id: meter-unreachable
    type: energy-meter-3p
    timeoutMs: 300
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${nobody}, unitId: 1 }
${at}
  - id: emeter-missing
    type: dlt645-meter
    timeoutMs: 300
    transport: { kind: dlt645, address: "000000000009", line: { kind: tcp, host: 127.0.0.1, port: ${meters} } }
${at}
  - id: gate-wrong-password
    type: isapi-door-terminal
    transport: { kind: isapi, host: 127.0.0.1, port: ${gate}, username: admin, passwordFile: ./wrong.pw }
${at}
  - id: gate-no-password-file
    type: isapi-door-terminal
    transport: { kind: isapi, host: 127.0.0.1, port: ${gate}, username: admin, passwordFile: ./missing.pw }
${at}`,
      }),
    );
    const bad = await gw(['test', '--config', broken, '--json']);
    expect(bad.code).toBe(1);
    const rows = Object.fromEntries((JSON.parse(bad.out).results as Row[]).map((r) => [r.id, r]));
    expect(Object.values(rows).every((r) => !r.ok && r.fix.length > 0)).toBe(true);
    expect(rows['meter-wrong-unit']!.detail).toContain('no unit 7');
    expect(rows['meter-wrong-unit']!.fix).toContain(`discover --modbus 127.0.0.1:${modbus}`);
    expect(rows['meter-unreachable']!.detail).toMatch(/^unreachable/);
    expect(rows['meter-unreachable']!.fix).toContain(`127.0.0.1:${nobody}`);
    expect(rows['emeter-missing']!.detail).toContain('meter 000000000009 does not answer');
    expect(rows['emeter-missing']!.fix).toContain('nameplate');
    expect(rows['gate-wrong-password']!.detail).toMatch(/wrong username or password/);
    expect(rows['gate-wrong-password']!.fix).toContain('username "admin"');
    expect(rows['gate-no-password-file']!.detail).toContain('ENOENT');
    // The password itself is never echoed back.
    expect(bad.out + bad.err).not.toContain('not-the-password');

    const text = await gw(['test', '--config', broken]);
    expect(text.out).toContain('5 of 5 devices failed');
    expect(text.out).toMatch(/how to fix:\n\s+meter-wrong-unit: wrong unitId/);
  }, 90_000);
});
