import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayView } from '@linli/contract';
import { GateSimulator, type GbPlatformSimulator, inviteLive, liveGrabs } from '@linli/drivers';
import type { Controller } from '@linli/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFfmpegLeft, startRtspCameras } from '../helpers/cameras.js';
import { GB_GW, GB_UP, GRID, GW, startGbGateway, startUpperPlatform } from '../helpers/gb-gateway.js';
import { startHub } from '../helpers/in-process.js';
import { until, untilAsync } from '../helpers/processes.js';

/**
 * The compound towards the public-security network: a real gateway with an
 * ISAPI gate and two ONVIF cameras (simulated over their real protocols)
 * registers as a GB/T 28181 lower platform to the upper-platform simulator
 * over loopback UDP, lists its cameras in the Catalog, answers DeviceInfo,
 * forwards a forced gate as an Alarm MESSAGE naming the covering camera, and
 * reports its registration to the hub, where the cockpit reads it.
 */
const GB_EAST = '34130200001320000001';
const GB_LIFT = '34130200001320000002';
let h: Awaited<ReturnType<typeof startHub>>;
let gate: GateSimulator;
let platform: GbPlatformSimulator;
let gw: Controller;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  h = await startHub(GW);
  cleanup.push(() => h.hub.stop());
  platform = await startUpperPlatform(cleanup);
  const cams = await startRtspCameras(
    ['cam-east', 'cam-lift'],
    { username: 'viewer', password: 'Cam-pw-88412' },
    cleanup,
  );
  gate = new GateSimulator({ username: 'linli', password: 'Gate-pw-5521', doors: 1, heartbeatMs: 500, seed: 3 });
  await gate.start();
  cleanup.push(() => gate.stop());

  const camera = (id: string, port: number, gbId: string, name: string, lng: number, covers: string) => `
  - id: ${id}
    type: onvif-camera
    timeoutMs: 15000
    healthIntervalMs: 600000
    transport: { kind: onvif, host: 127.0.0.1, port: ${port}, username: viewer, passwordFile: ./secrets/cam.pw }
    covers: [${covers}]
    gbId: "${gbId}"
    gbName: ${name}
    location: { lng: ${lng}, lat: 33.65, gridId: "${GRID}" }`;
  gw = await startGbGateway({
    hub: { url: h.url, token: h.token },
    platform,
    secrets: { 'cam.pw': 'Cam-pw-88412', 'gate.pw': 'Gate-pw-5521' },
    gb: ['maxStreams: 1', 'catalogPageSize: 1'],
    devices: `
  - id: gate-east
    type: isapi-door-terminal
    transport:
      kind: isapi
      host: 127.0.0.1
      port: ${gate.port}
      username: linli
      passwordFile: ./secrets/gate.pw
      doors: ["东门"]
      heartbeatTimeoutMs: 5000
    location: { lng: 117.02, lat: 33.65, gridId: "${GRID}" }${camera('cam-east', cams[0]!.port, GB_EAST, '东门摄像机', 117.02, 'gate-east')}${camera('cam-lift', cams[1]!.port, GB_LIFT, '1号楼电梯厅', 117.021, '')}
`,
    cleanup,
  });
}, 120_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await noFfmpegLeft();
});

describe('GB/T 28181: the gateway as a lower platform', () => {
  it('registers, and lists the compound’s cameras in a paged Catalog with codes, names, civil code and positions', async () => {
    await until(() => platform.devices.get(GB_GW)?.online, 'the gateway registered at the platform', 30_000);
    expect(gw.health().gb28181).toMatchObject({ state: 'registered', lastError: null });
    const items = await platform.catalog(GB_GW);
    expect(items.map((i) => [i.deviceId, i.name, i.civilCode]).sort()).toEqual([
      [GB_EAST, '东门摄像机', '341302'],
      [GB_LIFT, '1号楼电梯厅', '341302'],
    ]);
    expect(items.find((i) => i.deviceId === GB_LIFT)).toMatchObject({
      longitude: 117.021,
      latitude: 33.65,
      parentId: GB_GW,
    });
    expect((await platform.subscribeCatalog(GB_GW, 600)).status).toBe(200);
    expect(gw.health().gb28181).toMatchObject({ catalogSubscriptions: 1 });
    const info = await platform.ask(GB_GW, 'DeviceInfo');
    expect(info.body).toMatchObject({ DeviceName: '韩池孜社区', Channel: '2', Result: 'OK' });
    // Once the camera answers ONVIF, the Catalog says it is on.
    await untilAsync(
      async () => (await platform.catalog(GB_GW)).find((i) => i.deviceId === GB_EAST)?.status === 'ON',
      'cam-east ON in the Catalog',
      45_000,
    );
  });

  it('forwards a forced gate as an Alarm MESSAGE naming the camera that covers it', async () => {
    await until(() => gate.streamCount() > 0, 'the gateway on the gate’s alert stream', 30_000);
    gate.forced(1);
    const alarm = await until(
      () => platform.received().find((a) => a.description.includes('门禁被强行打开')),
      'the Alarm at the platform',
      30_000,
    );
    expect(alarm).toMatchObject({ deviceId: GB_EAST, priority: 1, method: 7, longitude: 117.02 });
    expect(alarm.description).toContain('东门摄像机');
  });

  it('streams a camera as PS over RTP on INVITE (ffprobe reads H.264), refuses a second with 486, stops on BYE', async () => {
    const { status, receiver } = await inviteLive(platform, GB_GW, GB_EAST, 'UDP');
    expect(status).toBe(200);
    cleanup.push(() => receiver!.stop());
    await until(() => receiver!.ps().length > 10_000, 'video from the gate camera', 45_000);
    expect((await inviteLive(platform, GB_GW, GB_LIFT, 'UDP')).status).toBe(486);
    const file = join(mkdtempSync(join(tmpdir(), 'linli-gb-ps-')), 'east.ps');
    writeFileSync(file, receiver!.ps());
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
    ) as { streams: { codec_name: string }[] };
    expect(probe.streams[0]?.codec_name).toBe('h264');
    expect(gw.health().gb28181).toMatchObject({ liveStreams: 1 });
    expect(await receiver!.bye()).toBe(200);
    await until(() => gw.health().gb28181?.liveStreams === 0, 'the stream ended');
    await until(() => liveGrabs.size === 0, 'its ffmpeg gone', 30_000);
  });

  it('reports the registration to the hub in the gateway status', async () => {
    const a = await h.hub.auth.createAccount(
      { username: 'ops', displayName: 'ops', role: 'city_operator', areaCode: '341302' },
      'test',
      Date.now(),
    );
    const token = (await h.hub.auth.sessions.create(a.user.id, 'interactive', Date.now())).token;
    const view = await untilAsync(
      async () => {
        const r = await fetch(`${h.url}/api/gateways`, { headers: { authorization: `Bearer ${token}` } });
        const { gateways } = (await r.json()) as { gateways: GatewayView[] };
        return gateways.find((g) => g.id === GW && g.status?.gb28181?.state === 'registered');
      },
      'the hub to see the GB/T 28181 link',
      40_000,
    );
    expect(view.status!.gb28181!.platform).toBe(`${GB_UP}@127.0.0.1:${platform.port}/udp`);
  });
});
