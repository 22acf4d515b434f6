import { gb28181, type GbPlatformSimulator, OnvifSimulator } from '@linli/drivers';
import { createLogger } from '@linli/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGbCamera } from '../helpers/gb-camera.js';
import {
  downwardCameraYaml,
  GB_GW,
  GB_UP,
  GRID,
  GW,
  startGbGateway,
  startUpperPlatform,
} from '../helpers/gb-gateway.js';
import { startHub } from '../helpers/in-process.js';
import { freeSipPort, until, untilAsync } from '../helpers/processes.js';

/**
 * PTZ from the upper platform (DeviceControl with PTZCmd, GB/T 28181 A.3):
 * the platform simulator sends DeviceControl MESSAGEs over loopback UDP to a
 * real gateway. An ONVIF camera's channel (the ONVIF simulator, real SOAP)
 * receives ContinuousMove with the speeds mapped to [-1, 1] and then Stop; a
 * downward GB/T 28181 NVR's channel receives the DeviceControl forwarded as
 * it came. Each command is answered with a DeviceControl Response and logged
 * with the platform's id. No video is involved (the camera's health is
 * checked through its HTTP snapshot), so no ffmpeg runs.
 */
const GB_CAM = '34130200001320000001';
const NVR = '34130200001180000001';
const CH1 = '34130200001320000101';
const PW = 'Cam-gb-pw-7731';
let platform: GbPlatformSimulator;
let cam: OnvifSimulator;
let nvr: ReturnType<typeof startGbCamera>;
const logLines: Record<string, unknown>[] = [];
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  const h = await startHub(GW);
  cleanup.push(() => h.hub.stop());
  platform = await startUpperPlatform(cleanup);
  cam = new OnvifSimulator({
    name: 'cam-east',
    username: 'viewer',
    password: 'Cam-pw-88412',
    rtspUrl: 'rtsp://127.0.0.1:9/unused',
    snapshot: true,
    maxPullWaitMs: 300,
  });
  await cam.start();
  cleanup.push(() => cam.stop());
  const downPort = await freeSipPort();

  const log = createLogger('gateway', 'info', {
    write: (s: string) => void logLines.push(JSON.parse(s) as Record<string, unknown>),
  });
  await startGbGateway({
    hub: { url: h.url, token: h.token },
    platform,
    secrets: { 'cam.pw': 'Cam-pw-88412', 'cams.pw': PW },
    devices: `
  - id: cam-east
    type: onvif-camera
    timeoutMs: 15000
    streamCheck: snapshot
    healthIntervalMs: 600000
    transport: { kind: onvif, host: 127.0.0.1, port: ${cam.port}, username: viewer, passwordFile: ./secrets/cam.pw }
    gbId: "${GB_CAM}"
    gbName: 东门摄像机
    location: { lng: 117.02, lat: 33.65, gridId: "${GRID}" }${downwardCameraYaml({ id: 'nvr-north', deviceId: NVR, downPort, lng: 117.03 })}
`,
    log,
    cleanup,
  });
  nvr = startGbCamera({
    deviceId: NVR,
    serverId: GB_GW,
    port: downPort,
    password: PW,
    channels: [{ deviceId: CH1, name: '通道1', civilCode: '341302', status: 'ON' }],
    rtspUrl: 'rtsp://127.0.0.1:9/unused',
  });
  cleanup.push(() => nvr.stop());
  await until(() => platform.devices.get(GB_GW)?.online, 'the gateway registered at the platform', 20_000);
}, 90_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const result = (m: gb28181.Manscdp) => m.body.Result;
const audits = () => logLines.filter((l) => typeof l.ptzCmd === 'string');

describe('GB/T 28181 PTZ control from the upper platform', () => {
  it('drives an ONVIF camera: ContinuousMove with the mapped velocity, then Stop on an all-zero command', async () => {
    // The camera must have answered (profiles read) before it can be driven; until then the answer is ERROR.
    await until(() => cam.subscriptions() > 0, 'the gateway connected to the camera', 20_000);
    // Left at full pan speed, down at 80H, zoom out at speed F (A.3 byte 4 = 26H).
    const move = await platform.deviceControl(GB_GW, GB_CAM, 'A50F0126FF80F24C');
    expect(move).toMatchObject({ root: 'Response', cmdType: 'DeviceControl', deviceId: GB_CAM });
    expect(result(move)).toBe('OK');
    expect(cam.ptz.calls).toHaveLength(1);
    const c = cam.ptz.calls[0]!;
    expect(c.action).toBe('ContinuousMove');
    expect(c.pan).toBe(-1);
    expect(c.tilt).toBeCloseTo(-128 / 255, 6);
    expect(c.zoom).toBe(-1);
    expect(c.profileToken).not.toBe('');

    const stop = await platform.deviceControl(GB_GW, GB_CAM, 'A50F0100000000B5');
    expect(result(stop)).toBe('OK');
    expect(cam.ptz.calls.map((x) => x.action)).toEqual(['ContinuousMove', 'Stop']);
    // Each command is in the gateway's log with the platform that sent it.
    expect(audits()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ptzCmd: 'A50F0126FF80F24C',
          platform: expect.stringContaining(GB_UP),
          action: 'move',
          result: 'OK',
        }),
        expect.objectContaining({ ptzCmd: 'A50F0100000000B5', channel: GB_CAM, action: 'stop', result: 'OK' }),
      ]),
    );
  });

  it('paces a held joystick: a burst of the same command moves the camera once, and the stop after it still arrives', async () => {
    const before = cam.ptz.calls.length;
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => platform.deviceControl(GB_GW, GB_CAM, 'A50F01081E1E1009')),
    );
    expect(burst.map(result)).toEqual(Array(12).fill('OK'));
    const moves = cam.ptz.calls.slice(before);
    expect(moves.length).toBeGreaterThanOrEqual(1);
    expect(moves.length).toBeLessThan(12);
    expect(moves.every((m) => m.action === 'ContinuousMove' && m.pan === 0 && m.tilt > 0)).toBe(true);
    expect(result(await platform.deviceControl(GB_GW, GB_CAM, 'A50F0100000000B5'))).toBe('OK');
    expect(cam.ptz.calls.at(-1)!.action).toBe('Stop');
  });

  it('answers ERROR for an unknown channel or a corrupted command, and moves nothing', async () => {
    const before = cam.ptz.calls.length;
    expect(result(await platform.deviceControl(GB_GW, '34130200001320000099', 'A50F01081E1E1009'))).toBe('ERROR');
    expect(result(await platform.deviceControl(GB_GW, GB_CAM, 'A50F01081E1E100A'))).toBe('ERROR');
    expect(cam.ptz.calls.length).toBe(before);
    expect(audits()).toEqual(
      expect.arrayContaining([expect.objectContaining({ ptzCmd: 'A50F01081E1E100A', result: 'ERROR' })]),
    );
  });

  it('forwards the DeviceControl to a GB/T 28181 camera registered to the gateway, under its channel code', async () => {
    await untilAsync(
      async () => (await platform.catalog(GB_GW)).some((i) => i.deviceId === CH1 && i.status === 'ON'),
      'the NVR channel in the gateway Catalog',
      20_000,
    );
    const answer = await platform.deviceControl(GB_GW, CH1, 'A50F011140008086');
    expect(result(answer)).toBe('OK');
    const got = await until(() => nvr.controls.find((c) => c.cmdType === 'DeviceControl'), 'the NVR got it', 5_000);
    expect(got.deviceId).toBe(CH1);
    expect(got.body.PTZCmd).toBe('A50F011140008086');
    // As it came: the platform's Info block is kept.
    expect(got.text).toContain('<ControlPriority>5</ControlPriority>');
  });
});
