import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { builtinRegistry, discoverCameras, ModbusSimulator } from '@linli/drivers';
import { Controller, createLogger, loadConfig } from '@linli/gateway';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { ffmpegChildren, isBlack, isBright, noFfmpegLeft, pixel, startRtspCamera } from '../helpers/cameras.js';
import { startHub } from '../helpers/in-process.js';
import { freePort, until, untilAsync } from '../helpers/processes.js';

const GW = 'gw-341302001001';
const USER = 'installer';
const PASS = 'Cam-pass-7f3a91';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('cameras: discovery, real RTSP frame, masked thumbnails, pictures delivered after their events', () => {
  it('discovers and configures a simulated camera; motion and a covered alarm arrive at the hub with masked pictures', async () => {
    // No HTTP snapshot URI: every picture is a real RTSP frame pulled by ffmpeg.
    const cam = await startRtspCamera('cam-gate-01', { username: USER, password: PASS, discoveryPort: 0 }, cleanup);

    // The installer's probe finds it (unicast to the simulator's discovery port on loopback).
    const found = await discoverCameras({
      timeoutMs: 500,
      multicast: false,
      targets: [{ host: '127.0.0.1', port: cam.discoveryPort! }],
    });
    expect(found).toEqual([
      expect.objectContaining({ urn: cam.urn, host: '127.0.0.1', port: cam.port, name: 'cam-gate-01' }),
    ]);

    const modbusPort = await freePort();
    const registry = builtinRegistry();
    const modbus = new ModbusSimulator({
      host: '127.0.0.1',
      port: modbusPort,
      units: [{ unitId: 1, def: await registry.getModbus('di-safety-sensor') }],
      tickMs: 3_600_000,
      seed: 1,
    });
    await modbus.start();
    cleanup.push(() => modbus.stop());

    const { hub, store, token, port: hubPort } = await startHub(GW);
    cleanup.push(() => hub.stop());
    // A city operator's session: pictures are served to people who may see the event's area.
    const viewer = await hub.auth.createAccount(
      { username: 'cam.viewer', displayName: '值班员', role: 'city_operator', areaCode: '341300' },
      'test',
      Date.now(),
    );
    const key = (await hub.auth.sessions.create(viewer.user.id, 'interactive', Date.now())).token;

    const dir = mkdtempSync(join(tmpdir(), 'linli-cam-'));
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    writeFileSync(join(dir, 'gateway.token'), token, { mode: 0o600 });
    writeFileSync(join(dir, 'secrets', 'cam-gate-01.pass'), `${PASS}\n`, { mode: 0o600 });
    const d = found[0]!;
    writeFileSync(
      join(dir, 'gateway.yaml'),
      `version: 1
gateway: { id: ${GW}, community: "341302001001" }
dataDir: ./state
hub: { url: "http://127.0.0.1:${hubPort}", tokenFile: ./gateway.token }
media: { keepHours: 24, maxFfmpeg: 2 }
devices:
  - id: door-01
    type: di-safety-sensor
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${modbusPort}, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
  - id: cam-gate-01
    type: onvif-camera
    timeoutMs: 15000
    healthIntervalMs: 600000
    transport: { kind: onvif, host: ${d.host}, port: ${d.port}, username: ${USER}, passwordFile: ./secrets/cam-gate-01.pass }
    covers: [door-01]
    # A home's window in the top-left quarter of the picture.
    masks: [[[0, 0], [0.5, 0], [0.5, 0.5], [0, 0.5]]]
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`,
    );
    const logLines: string[] = [];
    const log = createLogger('gateway', 'debug', { write: (l: string) => void logLines.push(l) });
    const gw = new Controller(loadConfig(join(dir, 'gateway.yaml'), registry), registry, log);
    cleanup.push(() => gw.stop());
    await gw.start();

    const atHub = async (pred: (e: LinliEvent) => boolean) => (await store.recentEvents(1000)).find(pred);
    await untilAsync(
      () => atHub((e) => e.kind === 'device.online' && e.deviceId === 'cam-gate-01'),
      'camera online',
      40_000,
    );
    await until(() => cam.subscriptions() > 0, 'a PullPoint subscription');

    // 1. Motion on the camera → camera.motion at the hub, then its picture.
    cam.inject('motion');
    const motion = await untilAsync(() => atHub((e) => e.kind === 'camera.motion'), 'camera.motion at the hub', 30_000);
    expect(motion.deviceId).toBe('cam-gate-01');
    const picture = async (eventId: string) =>
      untilAsync(
        async () => {
          const r = await fetch(`http://127.0.0.1:${hubPort}/api/events/${eventId}/snapshot`, {
            headers: { authorization: `Bearer ${key}` },
          });
          return r.status === 200
            ? { type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) }
            : null;
        },
        `picture of ${eventId}`,
        40_000,
      );
    const webp = await picture(motion.id);
    expect(webp.type).toBe('image/webp');
    const meta = await sharp(webp.bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 320, height: 180 });
    // Masked before leaving the gateway: black inside the polygon, the white test picture outside.
    expect(isBlack(await pixel(webp.bytes, 40, 40))).toBe(true);
    expect(isBlack(await pixel(webp.bytes, 140, 80))).toBe(true);
    expect(isBright(await pixel(webp.bytes, 240, 130))).toBe(true);
    expect(isBright(await pixel(webp.bytes, 40, 150))).toBe(true);

    // The full JPEG stays on the gateway, masked too.
    const kept = readdirSync(join(dir, 'state', 'media')).find((n) => n.endsWith(`-${motion.id}.jpg`));
    expect(kept).toBeDefined();
    const jpeg = readFileSync(join(dir, 'state', 'media', kept!));
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    expect(isBlack(await pixel(jpeg, 100, 100))).toBe(true);
    expect(isBright(await pixel(jpeg, 500, 300))).toBe(true);

    // 2. Smoke at the covered door → the alarm at the hub, with a picture from the camera.
    modbus.set(1, 'smoke', 1);
    const smoke = await untilAsync(() => atHub((e) => e.kind === 'smoke.alarm'), 'smoke.alarm at the hub', 30_000);
    expect(smoke.deviceId).toBe('door-01');
    const alarmPic = await picture(smoke.id);
    expect((await sharp(alarmPic.bytes).metadata()).format).toBe('webp');

    // 3. Tamper and a thrown object (analytics, with the camera's floor estimate) arrive as their own kinds.
    cam.inject('tamper');
    cam.inject('thrown', true, { FloorEstimate: '14' });
    const thrown = await untilAsync(() => atHub((e) => e.kind === 'camera.thrown_object'), 'thrown object', 30_000);
    expect(thrown.payload).toEqual({ floorEstimate: 14 });
    expect(thrown.severity).toBe('critical');
    await untilAsync(() => atHub((e) => e.kind === 'camera.tamper'), 'tamper', 30_000);

    // Unauthenticated requests for a picture are refused.
    const anon = await fetch(`http://127.0.0.1:${hubPort}/api/events/${smoke.id}/snapshot`);
    expect(anon.status).toBe(401);
    // The camera password never reached the log.
    expect(logLines.join('\n')).not.toContain(PASS);

    // stop() waits for frame pulls in flight: nothing is left running once it returns.
    await gw.stop();
    expect(ffmpegChildren()).toEqual([]);
    expect(noFfmpegLeft()).toBe(true);
  });
});
