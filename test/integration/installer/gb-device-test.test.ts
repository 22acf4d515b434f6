import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeSipPort, GATEWAY_CLI, node, type Proc, ready, SIM_CLI } from '../../helpers/processes.js';
import { configText, GRID } from './cli-run.js';

/**
 * `linli-gateway test` on a GB/T 28181 NVR that registers to the gateway:
 * `linli-sim --gb-device` plays the NVR over TCP, the check reports its
 * channels; without the NVR, or with the port held, it says what to do.
 */
const SERVER = '34130200002000000001';
const NVR = '34130200001180000001';
const procs: Proc[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

function setup(port: number) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-gbtest-'));
  writeFileSync(join(dir, 'gb.pw'), 'Nvr-pw-2026\n', { mode: 0o600 });
  const file = join(dir, 'gateway.yaml');
  writeFileSync(
    file,
    configText({
      devices: `  - id: nvr-east
    type: gb28181-camera
    transport:
      kind: gb28181
      deviceId: "${NVR}"
      server: { id: "${SERVER}", host: 127.0.0.1, port: ${port} }
      passwordFile: ./gb.pw
      keepaliveS: 1
      keepaliveMisses: 2
    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }`,
    }),
  );
  return { dir, file };
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function gwTest(file: string): Proc {
  const p = node(GATEWAY_CLI, ['test', '--config', file, '--json']);
  procs.push(p);
  return p;
}

describe('linli-gateway test: GB/T 28181 devices', () => {
  it('waits for the NVR to register and lists its channels', async () => {
    const port = await freeSipPort();
    const { dir, file } = setup(port);
    const test = gwTest(file);
    // The check opens the device's SIP listener; the NVR starts once it accepts connections (it retries anyway).
    while (!(await listening(port))) {
      expect(test.out()).toBe('');
      await new Promise((r) => setTimeout(r, 50));
    }
    const sim = node(SIM_CLI, [
      ...['--gb-device', NVR, '--server', `${SERVER}@127.0.0.1:${port}`, '--transport', 'tcp'],
      ...['--password-file', join(dir, 'gb.pw'), '--channels', '3', '--keepalive-s', '1', '--host', '127.0.0.1'],
    ]);
    procs.push(sim);
    await ready(sim, 'linli-sim --gb-device');
    expect(await test.exited).toBe(0);
    const [row] = JSON.parse(test.out()).results;
    expect(row).toMatchObject({ id: 'nvr-east', ok: true, target: `${NVR} → :${port}` });
    expect(row.detail).toBe('registered; 通道 3 个，在线 3：通道1、通道2、通道3');
  });

  it('explains a device that never registers and a port the running gateway holds', async () => {
    const port = await freeSipPort();
    const { file } = setup(port);
    const silent = gwTest(file);
    expect(await silent.exited).toBe(1);
    const [row] = JSON.parse(silent.out()).results;
    expect(row).toMatchObject({ ok: false, detail: expect.stringMatching(/has not registered/) });
    expect(row.fix).toContain(`server id ${SERVER}, domain 3413020000`);

    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
    try {
      const held = gwTest(file);
      expect(await held.exited).toBe(1);
      const [r2] = JSON.parse(held.out()).results;
      expect(r2).toMatchObject({ ok: false, detail: expect.stringMatching(/port \d+ is taken: .*EADDRINUSE/) });
      expect(r2.fix).toMatch(/stop it/);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
