import { join } from 'node:path';
import { gb28181, GbPlatformSimulator } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import { until } from '../helpers/processes.js';
import { cameraCsv, freeUdpPort, sipp, SIPP_SCENARIOS, stopsAfterEach } from '../helpers/sipp.js';

/**
 * Our GB/T 28181 SIP against Debian's SIPp (package sip-tester), which checks
 * and computes digests with its own code: SIPp plays a platform that
 * challenges our REGISTER (test/fixtures/gb28181/sipp-platform.xml) and a
 * camera that registers to our platform simulator (sipp-camera.xml).
 */
const PLATFORM = '34130000002000000001';
const GW = '34130200002000000001';
const stops = stopsAfterEach();

async function sippPlatform(password: string) {
  const port = await freeUdpPort();
  const p = sipp(
    ['-sf', join(SIPP_SCENARIOS, 'sipp-platform.xml'), '-p', String(port), '-set', 'user', GW, '-set', 'pw', password],
    stops,
  );
  // SIPp prints its screen once it listens; the REGISTER is retransmitted anyway if it comes early.
  return { p, port };
}

function agent(port: number, password: string) {
  const a = new gb28181.LowerAgent({
    ...{ deviceId: GW, serverId: PLATFORM, serverDomain: '3413000000', serverHost: '127.0.0.1', serverPort: port },
    ...{ transport: 'UDP', password, expiresS: 3600, keepaliveS: 600, keepaliveMisses: 3, charset: 'GB2312' },
    ...{ bindHost: '127.0.0.1', timers: { t1Ms: 100, t2Ms: 400 }, backoffMaxMs: 60_000, answer: () => [] },
  });
  a.start();
  stops.push(() => a.stop());
  return a;
}

describe('cross-check with SIPp', () => {
  it('SIPp as the platform refuses our digest with a wrong password and accepts it with the right one', async () => {
    const wrong = await sippPlatform('Sipp-pw-31');
    const a = agent(wrong.port, 'not-the-password');
    await until(() => a.status().lastError, 'the refusal');
    expect(a.status().lastError).toMatch(/wrong password/);
    expect(await wrong.p.exited).toBe(1);

    const right = await sippPlatform('Sipp-pw-31');
    const b = agent(right.port, 'Sipp-pw-31');
    await until(() => b.status().state === 'registered', 'registration accepted by SIPp');
    expect(await right.p.exited).toBe(0);
    expect(right.p.out()).toMatch(/Successful call\s+\|\s+0\s+\|\s+1/);
  });

  it('SIPp as a camera registers to our platform simulator with its digest and sends a Keepalive we read', async () => {
    const platform = new GbPlatformSimulator({
      id: PLATFORM,
      domain: '3413000000',
      password: 'Cam-pw-55',
      keepaliveTimeoutMs: 60_000,
    });
    await platform.start();
    stops.push(() => platform.stop());
    const keepalives: string[] = [];
    platform.on('keepalive', (id) => keepalives.push(id));
    const port = await freeUdpPort();
    const p = sipp(
      [
        `127.0.0.1:${platform.port}`,
        ...['-sf', join(SIPP_SCENARIOS, 'sipp-camera.xml'), '-inf', cameraCsv('34130200001320000009'), '-s', PLATFORM],
        ...['-au', '34130200001320000009', '-ap', 'Cam-pw-55', '-p', String(port)],
      ],
      stops,
    );
    expect(await p.exited).toBe(0);
    expect(platform.devices.get('34130200001320000009')).toMatchObject({ online: true, peer: { port } });
    expect(keepalives).toEqual(['34130200001320000009']);
  });
});
