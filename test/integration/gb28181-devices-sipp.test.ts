import { join } from 'node:path';
import type { EventDraft } from '@linli/contract';
import { builtinRegistry, BusManager, createDevice, type DeviceHandle, gb28181, LineManager } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import { type Proc, until } from '../helpers/processes.js';
import { cameraCsv, freeUdpPort, sipp, SIPP_SCENARIOS, stopsAfterEach } from '../helpers/sipp.js';

/**
 * The gateway as the compound's GB/T 28181 platform, cross-checked with
 * Debian's SIPp playing the camera (test/fixtures/gb28181/sipp-camera-gateway.xml):
 * SIPp computes the digest with its own code, so our challenge and check are
 * not only tested against our own client.
 */
const SERVER = '34130000002000000001';
const CAMERA = '34130200001320000009';
const stops = stopsAfterEach();

async function gatewayDevice(keepaliveS: number) {
  const events: EventDraft[] = [];
  const warnings: string[] = [];
  const port = await freeUdpPort();
  const handle: DeviceHandle = createDevice(
    await builtinRegistry().get('gb28181-camera'),
    {
      id: 'cam-sipp',
      type: 'gb28181-camera',
      pollMs: 1000,
      timeoutMs: 1000,
      transport: {
        kind: 'gb28181',
        deviceId: CAMERA,
        server: { id: SERVER, host: '127.0.0.1', port },
        password: 'Cam-pw-55',
        keepaliveS,
        keepaliveMisses: 3,
        catalog: false,
      },
    },
    {
      emit: async (e) => void events.push(e),
      log: { info: () => {}, warn: (m, f) => void warnings.push(`${m} ${JSON.stringify(f)}`) },
      buses: new BusManager(),
      lines: new LineManager(),
    },
  );
  handle.start();
  stops.push(() => handle.stop());
  return { handle, events, warnings, port };
}

function sippCamera(port: number, password: string, exp: number, final: number): Proc {
  return sipp(
    [
      `127.0.0.1:${port}`,
      ...['-sf', join(SIPP_SCENARIOS, 'sipp-camera-gateway.xml'), '-inf', cameraCsv(CAMERA), '-s', SERVER],
      ...['-au', CAMERA, '-ap', password, '-set', 'exp', String(exp), '-set', 'final', String(final)],
    ],
    stops,
  );
}

describe('GB/T 28181 devices: SIPp as the camera', () => {
  it('registers with its digest, sends a keepalive and unregisters: online, then offline', async () => {
    const { handle, events, port } = await gatewayDevice(60);
    const p = sippCamera(port, 'Cam-pw-55', 3600, 0);
    expect(await p.exited).toBe(0);
    await until(() => handle.online() === false, 'offline after Expires: 0');
    expect(events.map((e) => e.kind)).toEqual(['device.online', 'device.offline']);
    expect(events[1]).toMatchObject({ payload: { reason: expect.stringMatching(/unregistered/) } });
    expect((handle as gb28181.GbDevice).keepalives).toBe(1);
  });

  it('honours a short Expires: the registration lapses and the device goes offline', async () => {
    const { handle, events, port } = await gatewayDevice(600);
    const p = sippCamera(port, 'Cam-pw-55', 3600, 1);
    expect(await p.exited).toBe(0);
    await until(() => handle.online() === false, 'offline at expiry');
    expect(events[1]).toMatchObject({ kind: 'device.offline', payload: { reason: expect.stringMatching(/expired/) } });
  });

  it('refuses SIPp with a wrong password (403 after the challenge: SIPp fails the call)', async () => {
    const { handle, warnings, port } = await gatewayDevice(60);
    const p = sippCamera(port, 'not-it', 3600, 0);
    expect(await p.exited).not.toBe(0);
    expect(warnings.join('\n')).toMatch(/registration refused .*wrong password/);
    expect(handle.online()).not.toBe(true);
  });
});
