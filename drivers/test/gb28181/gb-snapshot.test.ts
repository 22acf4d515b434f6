import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { liveGrabs } from '../../src/camera/ffmpeg-grab.js';
import type { CameraSnapshot } from '../../src/camera/snapshot.js';
import { definition } from '../../src/definitions/gb28181-camera.js';
import { GbDevice } from '../../src/gb28181/devices/gb-device.js';
import { LiveSessions } from '../../src/gb28181/live/live-sessions.js';
import { LowerAgent } from '../../src/gb28181/lower-agent.js';
import { catalogResponsePages } from '../../src/gb28181/manscdp-messages.js';
import { LineManager } from '../../src/line/line-manager.js';
import { type RtspServer, startRtspServer } from '../../src/sim/rtsp-server.js';
import { freeSipPort } from '../../../test/helpers/processes.js';
import { until } from './until.js';

/**
 * A snapshot from a GB/T 28181 camera registered to the gateway: the gateway
 * INVITEs the camera's channel, the camera (LiveSessions over a GStreamer RTSP
 * source) streams PS over RTP, ffmpeg turns the first frame into a JPEG, BYE
 * ends the stream. Real sockets and processes on loopback.
 */
const SERVER = '34020000002000000001';
const CAMERA = '34020000001320000002';
const CHANNEL = '34020000001320000003';
const timers = { t1Ms: 50, t2Ms: 400 };
let rtsp: RtspServer;
const stops: (() => unknown)[] = [];

beforeAll(async () => {
  rtsp = await startRtspServer({ width: 320, height: 240, fps: 10 });
}, 60_000);
afterAll(async () => {
  await rtsp.stop();
});
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
  await until(() => liveGrabs.size === 0, 'every ffmpeg gone');
});

/** The gateway's GbDevice and a camera (LowerAgent + LiveSessions over the RTSP source) registered to it. */
async function startCameraPair() {
  const port = await freeSipPort();
  const saved: CameraSnapshot[] = [];
  const dev = new GbDevice(
    definition,
    {
      id: 'cam-north',
      type: 'gb28181-camera',
      pollMs: 1000,
      timeoutMs: 15_000,
      transport: {
        kind: 'gb28181',
        deviceId: CAMERA,
        server: { id: SERVER, host: '127.0.0.1', port },
        password: 'pw-snap',
        keepaliveS: 5,
        keepaliveMisses: 3,
        catalog: true,
      },
    },
    {
      emit: async () => undefined,
      log: { info: () => {}, warn: () => {} },
      buses: new BusManager(),
      lines: new LineManager(),
      snapshots: { save: async (s) => (saved.push(s), `snap-${saved.length}`) },
    },
    timers,
  );
  dev.start();
  stops.push(() => dev.stop());
  const live = new LiveSessions({
    deviceId: CAMERA,
    bindHost: '127.0.0.1',
    advertise: () => '127.0.0.1',
    maxStreams: 1,
    source: (ch) => (ch === CHANNEL ? rtsp.url : null),
  });
  const cam = new LowerAgent({
    ...{ deviceId: CAMERA, serverId: SERVER, serverDomain: '3402000000', serverHost: '127.0.0.1', serverPort: port },
    ...{
      transport: 'UDP',
      password: 'pw-snap',
      expiresS: 3600,
      keepaliveS: 1,
      keepaliveMisses: 3,
      charset: 'GB2312',
    },
    ...{ bindHost: '127.0.0.1', timers, backoffMaxMs: 300 },
    answer: (q) =>
      q.cmdType === 'Catalog'
        ? catalogResponsePages(
            CAMERA,
            q.sn,
            [{ deviceId: CHANNEL, name: '北门', civilCode: '340200', status: 'ON' }],
            10,
            'GB2312',
          )
        : [],
    handle: (req) => live.handle(req),
  });
  cam.start();
  stops.push(() => live.stopAll('test end'));
  stops.push(() => cam.stop());
  await until(() => dev.channels()?.length === 1, 'registered with its catalog');
  return { dev, live, cam, saved };
}

describe('GB/T 28181 camera snapshot', () => {
  it('INVITEs the channel, turns the PS/RTP into one JPEG, saves it and ends the stream with BYE', async () => {
    const { dev, live, saved } = await startCameraPair();
    const result = await dev.command('camera.snapshot', {});
    expect(result).toMatchObject({ ref: 'snap-1', width: 320, height: 240, source: 'gb28181' });
    const meta = await sharp(saved[0]!.jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    // BYE ended the camera's stream: no session and no ffmpeg left on either side.
    await until(() => live.count() === 0, 'the camera stream stopped by BYE');
  }, 60_000);

  it('ends a stream with BYE where the camera is now, when it registered again from a new port meanwhile', async () => {
    // What a CI run met: the camera's keepalives went unanswered on a stalled machine, it registered again
    // from a new socket, and the BYE that ended the picture went to its old port and reached nobody; the
    // camera kept streaming and held its stream slot.
    const { dev, live, cam } = await startCameraPair();
    const leg = await dev.liveLeg(CHANNEL);
    await until(() => live.count() === 1, 'the camera streaming');
    const before = cam.contact()!.port;
    const registrations = cam.status().registrations;
    await cam.stop();
    cam.start();
    await until(() => cam.status().registrations > registrations && dev.online() === true, 'registered again');
    expect(cam.contact()!.port).not.toBe(before);
    expect(live.count()).toBe(1);
    expect(await leg.bye()).toBe(200);
    await until(() => live.count() === 0, 'the camera stream stopped by BYE at its new port');
  }, 60_000);

  it('refuses a snapshot from a device that is not registered', async () => {
    const dev = new GbDevice(
      definition,
      {
        id: 'cam-x',
        type: 'gb28181-camera',
        pollMs: 1000,
        timeoutMs: 1000,
        transport: {
          kind: 'gb28181',
          deviceId: CAMERA,
          server: { id: SERVER, host: '127.0.0.1', port: await freeSipPort() },
          password: 'p',
          keepaliveS: 5,
          keepaliveMisses: 3,
          catalog: true,
        },
      },
      {
        emit: async () => {},
        log: { info: () => {}, warn: () => {} },
        buses: new BusManager(),
        lines: new LineManager(),
      },
    );
    dev.start();
    stops.push(() => dev.stop());
    await expect(dev.command('camera.snapshot', {})).rejects.toThrow(/not registered/);
  });
});
