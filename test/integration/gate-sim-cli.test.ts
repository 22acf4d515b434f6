import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft } from '@linli/contract';
import { BusManager, builtinRegistry, createDevice, type DeviceHandle, LineManager } from '@linli/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, node, type Proc, ready, SIM_CLI, until } from '../helpers/processes.js';

/** `linli-sim --gate` as an installer or the demo runs it: a separate process with background traffic. */
const procs: Proc[] = [];
const devices: DeviceHandle[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.stop()));
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

describe('linli-sim --gate', () => {
  it('refuses to start without a password file (no default password)', async () => {
    const p = node(SIM_CLI, ['--gate', '--port', String(await freePort())]);
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain('--password-file');
  });

  it('serves a day of fake traffic that the gate driver turns into gate events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-gsim-'));
    writeFileSync(join(dir, 'gate.pw'), 'Sim-pw-9001\n', { mode: 0o600 });
    const port = await freePort();
    const sim = node(SIM_CLI, [
      '--gate',
      '--port',
      String(port),
      '--user',
      'admin',
      '--password-file',
      join(dir, 'gate.pw'),
      '--doors',
      '2',
      '--traffic-ms',
      '40',
      '--heartbeat-ms',
      '300',
      '--seed',
      '3',
    ]);
    procs.push(sim);
    expect(await ready(sim, 'gate simulator')).toMatchObject({ protocol: 'isapi', port });
    const events: EventDraft[] = [];
    const def = await builtinRegistry().get('isapi-door-terminal');
    const device = createDevice(
      def,
      {
        id: 'gate-sim',
        type: def.type,
        pollMs: 1000,
        timeoutMs: 5000,
        transport: {
          kind: 'isapi',
          host: '127.0.0.1',
          port,
          username: 'admin',
          password: 'Sim-pw-9001',
          mask: 'last4',
          heartbeatTimeoutMs: 5000,
        },
      },
      {
        emit: async (d) => void events.push(d),
        log: { info: () => {}, warn: () => {} },
        buses: new BusManager(),
        lines: new LineManager(),
      },
    );
    device.start();
    devices.push(device);
    await until(
      () => events.filter((e) => e.kind === 'gate.pass').length >= 5,
      'five passes from background traffic',
      60_000,
    );
    expect(events[0]!.kind).toBe('device.online');
    const methods = new Set(
      events.filter((e) => e.kind === 'gate.pass').map((e) => (e.payload as { method: string }).method),
    );
    expect(methods.size).toBeGreaterThan(0);
    expect(events.every((e) => !JSON.stringify(e).includes('Sim-pw-9001'))).toBe(true);
  });
});
