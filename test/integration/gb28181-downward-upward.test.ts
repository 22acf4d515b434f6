import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GbPlatformSimulator, inviteLive, type LiveReceiver, liveGrabs, startRtspServer } from '@linli/drivers';
import type { Controller } from '@linli/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGbCamera } from '../helpers/gb-camera.js';
import { downwardCameraYaml, GB_GW, GW, startGbGateway, startUpperPlatform } from '../helpers/gb-gateway.js';
import { startHub } from '../helpers/in-process.js';
import { freeSipPort, until } from '../helpers/processes.js';

/**
 * GB/T 28181 cameras that register to the gateway (downward) are channels of
 * the gateway towards its upper platform: an NVR (played by the same
 * LowerAgent that `linli-sim --gb-device` runs) and an IPC with a configured
 * gbId register over loopback UDP to the gateway's listener; the
 * upper-platform simulator sees their channels in the gateway's Catalog, gets
 * catalog NOTIFYs as they come and go, receives their alarms, and INVITEs a
 * channel: the gateway INVITEs the NVR and relays its PS/RTP (ffprobe reads
 * H.264), within maxStreams, BYE ending both legs. Each test's waits add up
 * to less than the 60 s test timeout.
 */
const NVR = '34130200001180000001';
const CH1 = '34130200001320000101';
const CH2 = '34130200001320000102';
const IPC = '34130200001320000201';
const IPC_UP = '34130200001320000009';
const PW = 'Cam-gb-pw-7731';
let h: Awaited<ReturnType<typeof startHub>>;
let platform: GbPlatformSimulator;
let gw: Controller;
let rtspUrl: string;
let downPort: number;
const changes: { deviceId: string; event: string }[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
let nvr: ReturnType<typeof startGbCamera>;
let ipc: ReturnType<typeof startGbCamera>;

beforeAll(async () => {
  h = await startHub(GW);
  cleanup.push(() => h.hub.stop());
  platform = await startUpperPlatform(cleanup);
  platform.on('catalogChange', (from, items) => from === GB_GW && changes.push(...items));
  const rtsp = await startRtspServer({ width: 320, height: 240, fps: 10 });
  cleanup.push(() => rtsp.stop());
  rtspUrl = rtsp.url;
  downPort = await freeSipPort();

  gw = await startGbGateway({
    hub: { url: h.url, token: h.token },
    platform,
    secrets: { 'cams.pw': PW },
    gb: ['maxStreams: 1'],
    devices: `${downwardCameraYaml({ id: 'nvr-north', deviceId: NVR, downPort, lng: 117.02 })}${downwardCameraYaml({
      id: 'ipc-west',
      deviceId: IPC,
      downPort,
      lng: 117.03,
      transport: '\n      catalog: false',
      device: `\n    gbId: "${IPC_UP}"\n    gbName: 西门`,
    })}
`,
    cleanup,
  });
}, 120_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await until(() => liveGrabs.size === 0, 'every ffmpeg gone');
});

const channel = (n: number) => ({
  deviceId: n === 1 ? CH1 : CH2,
  name: `通道${n}`,
  civilCode: '341302',
  status: 'ON' as const,
});

describe('GB/T 28181: cameras registered to the gateway, seen by its upper platform', () => {
  it('lists them in the Catalog once they register, NOTIFYing the subscriber, with codes, names, civil code, positions and status', async () => {
    await until(() => platform.devices.get(GB_GW)?.online, 'the gateway registered at the platform', 20_000);
    expect((await platform.subscribeCatalog(GB_GW, 600)).status).toBe(200);
    nvr = startGbCamera({
      deviceId: NVR,
      serverId: GB_GW,
      port: downPort,
      password: PW,
      channels: [channel(1), channel(2)],
      rtspUrl,
    });
    ipc = startGbCamera({ deviceId: IPC, serverId: GB_GW, port: downPort, password: PW, channels: [], rtspUrl });
    cleanup.push(
      () => nvr.stop(),
      () => ipc.stop(),
    );
    // The NVR's Catalog arrives after its registration: its channels are ADDed for the subscriber.
    await until(
      () => [CH1, CH2].every((id) => changes.some((c) => c.deviceId === id && c.event === 'ADD')),
      'the NVR channels ADDed in a catalog NOTIFY',
      15_000,
    );
    await until(() => changes.some((c) => c.deviceId === IPC_UP && c.event === 'ON'), 'the IPC ON in a NOTIFY', 15_000);
    const items = await platform.catalog(GB_GW);
    expect(items.map((i) => [i.deviceId, i.name, i.civilCode, i.status]).sort()).toEqual([
      [IPC_UP, '西门', '341302', 'ON'],
      [CH1, '通道1', '341302', 'ON'],
      [CH2, '通道2', '341302', 'ON'],
    ]);
    expect(items.find((i) => i.deviceId === IPC_UP)).toMatchObject({
      longitude: 117.03,
      latitude: 33.65,
      parentId: GB_GW,
    });
    const info = await platform.ask(GB_GW, 'DeviceInfo');
    expect(info.body).toMatchObject({ DeviceName: '韩池孜社区', Channel: '3', Result: 'OK' });
    const status = await platform.ask(GB_GW, 'DeviceStatus');
    expect(status.body).toMatchObject({ Online: 'ONLINE' });
    for (const id of [CH1, CH2, IPC_UP]) expect(JSON.stringify(status.body)).toContain(id);
  });

  it('forwards a camera’s own alarm upward under the channel’s code, with its method and type', async () => {
    expect(
      await nvr.alarm({
        deviceId: CH2,
        priority: 3,
        method: 5,
        alarmType: 2,
        time: new Date(),
        description: '运动目标检测',
      }),
    ).toBe(true);
    const alarm = await until(
      () => platform.received().find((a) => a.deviceId === CH2),
      'the NVR alarm at the upper platform',
      20_000,
    );
    expect(alarm).toMatchObject({ method: 5, alarmType: 2, priority: 3, longitude: 117.02 });
    expect(alarm.description).toBe('通道2：运动目标检测');
    // The alarm is also a camera.motion event, pictured through the NVR (INVITE, one frame, BYE) as before.
    await until(() => nvr.events.some((e) => e.event === 'stopped' && e.why === 'BYE'), 'the alarm’s snapshot', 30_000);
  });

  it('relays a live view: the gateway INVITEs the NVR, forwards its PS/RTP with the platform’s SSRC, 486 beyond maxStreams, BYE ends both legs', async () => {
    expect(nvr.live.count()).toBe(0);
    const { status, receiver } = await inviteLive(platform, GB_GW, CH1, 'UDP');
    expect(status).toBe(200);
    cleanup.push(() => receiver!.stop());
    await until(() => receiver!.ps().length > 10_000, 'video relayed from the NVR', 25_000);
    expect([...receiver!.ssrcs]).toEqual([receiver!.ssrc]);
    expect(nvr.live.count()).toBe(1);
    expect(gw.health().gb28181).toMatchObject({ liveStreams: 1 });
    expect((await inviteLive(platform, GB_GW, IPC_UP, 'UDP')).status).toBe(486);
    expect(probe(receiver!)).toBe('h264');
    expect(await receiver!.bye()).toBe(200);
    await until(() => nvr.live.count() === 0, 'the NVR stream ended by the gateway’s BYE', 10_000);
    await until(() => gw.health().gb28181?.liveStreams === 0, 'the relay ended', 10_000);
  });

  it('relays over TCP when the platform listens (setup:passive)', async () => {
    const { status, receiver } = await inviteLive(platform, GB_GW, IPC_UP, 'TCP');
    expect(status).toBe(200);
    cleanup.push(() => receiver!.stop());
    await until(() => receiver!.ps().length > 10_000, 'video relayed from the IPC over TCP', 30_000);
    expect(probe(receiver!)).toBe('h264');
    expect(ipc.live.count()).toBe(1);
    expect(await receiver!.bye()).toBe(200);
    await until(() => ipc.live.count() === 0, 'the IPC stream ended', 15_000);
  });

  it('ends the relay at the platform with BYE when the camera hangs up', async () => {
    const { status, receiver } = await inviteLive(platform, GB_GW, CH2, 'UDP');
    expect(status).toBe(200);
    cleanup.push(() => receiver!.stop());
    await until(() => receiver!.received > 0, 'video relayed from channel 2', 25_000);
    await nvr.live.stopAll('the NVR hangs up', true);
    await until(() => receiver!.byeReceived, 'the gateway’s BYE at the platform', 10_000);
    await until(() => gw.health().gb28181?.liveStreams === 0, 'the relay ended', 10_000);
  });

  it('tells the subscriber when a camera unregisters, and the Catalog says OFF', async () => {
    await ipc.stop();
    await until(
      () => changes.some((c) => c.deviceId === IPC_UP && c.event === 'OFF'),
      'the IPC OFF in a NOTIFY',
      20_000,
    );
    const items = await platform.catalog(GB_GW);
    expect(items.find((i) => i.deviceId === IPC_UP)?.status).toBe('OFF');
    expect(items.find((i) => i.deviceId === CH1)?.status).toBe('ON');
    // Its channel is still listed, but there is no video to relay: 480 Temporarily Unavailable.
    expect((await inviteLive(platform, GB_GW, IPC_UP, 'UDP')).status).toBe(480);
  });
});

function probe(r: LiveReceiver): string | undefined {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-gbdu-ps-')), 'relay.ps');
  writeFileSync(file, r.ps());
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { streams: { codec_name: string }[] };
  return out.streams[0]?.codec_name;
}
