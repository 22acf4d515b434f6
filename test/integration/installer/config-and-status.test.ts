import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub } from '../../helpers/hub-fixture.js';
import { freePort, GATEWAY_CLI, node, type Proc, ready, SIM_CLI, untilAsync } from '../../helpers/processes.js';
import { COMMUNITY, configText, GRID, gw } from './cli-run.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

describe('linli-gateway config validate / migrate', () => {
  it('reports every error with file and line, in text and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-cfg-'));
    const cfg = join(dir, 'gateway.yaml');
    writeFileSync(
      cfg,
      `version: 1
gateway:
  id: GW-Upper
  community: "341302001001"
dataDir: ./state
hub: { url: "ftp://hub", tokenFile: ./t }
devices:
  - id: m1
    type: energy-meter-9p
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 502, unitId: 1 }
    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }
  - id: m1
    type: dlt645-meter
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 502, unitId: 300 }
    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }
`,
    );
    const text = await gw(['config', 'validate', cfg]);
    expect(text.code).toBe(2);
    // Schema errors first (id pattern line 3, hub url line 6, unit id line 14) in one pass.
    expect(text.err).toContain(`${cfg}:3: gateway.id`);
    expect(text.err).toContain(`${cfg}:6: hub.url`);
    expect(text.err).toContain(`${cfg}:14: devices[1].transport`);
    const json = await gw(['config', 'validate', cfg, '--json']);
    expect(json.code).toBe(2);
    const body = JSON.parse(json.out);
    expect(body.ok).toBe(false);
    expect(body.problems.map((p: { line: number }) => p.line)).toEqual([3, 6, 14]);

    // Once the schema is right, the cross-checks report their lines too.
    writeFileSync(
      cfg,
      readFileSync(cfg, 'utf8')
        .replace('GW-Upper', 'gw-ok')
        .replace('ftp://', 'http://')
        .replace('unitId: 300', 'unitId: 3'),
    );
    const second = await gw(['config', 'validate', cfg, '--json']);
    const lines = JSON.parse(second.out).problems.map((p: { line: number; message: string }) => [p.line, p.message]);
    expect(lines).toEqual([
      [9, expect.stringContaining('unknown device type "energy-meter-9p"')],
      [12, expect.stringContaining('duplicate device id "m1"')],
      [14, expect.stringContaining('use transport kind dlt645')],
    ]);
  });

  it('migrate: a current file needs nothing, a newer one is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-cfg-'));
    const cfg = join(dir, 'gateway.yaml');
    writeFileSync(cfg, configText());
    const same = await gw(['config', 'migrate', cfg, '--json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.out)).toMatchObject({ ok: true, version: 1, applied: [], backup: null });
    writeFileSync(cfg, configText().replace('version: 1', 'version: 7'));
    const newer = await gw(['config', 'migrate', cfg]);
    expect(newer.code).toBe(2);
    expect(newer.err).toContain('written by a newer gateway');
  });
});

describe('linli-gateway status, and a gateway that starts with a dead device', () => {
  it('runs the live device while the dead one is reported offline', async () => {
    const hub = await startTestHub();
    stops.push(() => hub.stop());
    const token = await hub.gateway('gw-test-01', COMMUNITY);
    const simPort = await freePort();
    const sim = node(SIM_CLI, ['--port', String(simPort), '--unit', '1=energy-meter-3p']);
    stops.push(() => sim.stop());
    await ready(sim, 'simulator');
    const dead = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'linli-status-'));
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'gateway.token'), token, { mode: 0o600 });
    const httpPort = await freePort();
    const cfg = join(dir, 'gateway.yaml');
    const at = `    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }`;
    writeFileSync(
      cfg,
      configText({
        hub: hub.url,
        extra: `http: { host: 127.0.0.1, port: ${httpPort} }\n`,
        // The dead one first: it must not hold up the live one behind it.
        devices: `  - id: meter-dead
    type: energy-meter-3p
    pollMs: 500
    timeoutMs: 300
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${dead}, unitId: 1 }
${at}
  - id: meter-live
    type: energy-meter-3p
    pollMs: 300
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 1 }
${at}`,
      }),
    );
    const down = await gw(['status', '--config', cfg, '--json']);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.out)).toMatchObject({ ok: false });

    const gwProc: Proc = node(GATEWAY_CLI, ['run', '--config', cfg]);
    stops.push(() => gwProc.stop());
    const s = await untilAsync(
      async () => {
        const r = await gw(['status', '--config', cfg, '--json']);
        const j = JSON.parse(r.out);
        return j.ok && j.uplink === 'online' && j.devicesOnline === 1 && j.offline.length === 1 ? j : null;
      },
      'the live device online and the dead one offline',
      40_000,
    );
    expect(s).toMatchObject({ gateway: 'gw-test-01', devicesTotal: 2, offline: ['meter-dead'], pending: [] });
    const text = await gw(['status', '--config', cfg]);
    expect(text.out).toMatch(/devices\s+1\/2 online/);
    expect(text.out).toContain('offline 离线: meter-dead');
  }, 90_000);
});
