import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '@linli/contract';
import {
  BusManager,
  builtinRegistry,
  createDevice,
  type DeviceContext,
  type DeviceHandle,
  LineManager,
  OnvifCamera,
  OnvifSimulator,
  type OnvifSimOptions,
  type RtspServerOptions,
  startRtspServer,
} from '@linli/drivers';
import { ffmpegChildren, noFfmpegLeft } from '../helpers/cameras.js';
import { until } from '../helpers/processes.js';

const USER = 'installer';
const PASS = 'Fault-test-pass-1';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A simulated camera (ONVIF + real RTSP) and a camera device pointed at it, emitting into a list. */
async function rig(o: {
  rtsp?: RtspServerOptions;
  sim?: Partial<OnvifSimOptions>;
  password?: string;
  timeoutMs?: number;
  sink?: DeviceContext['snapshots'];
}) {
  const rtsp = await startRtspServer({ pattern: 'white', ...o.rtsp });
  cleanup.push(() => rtsp.stop());
  const sim = new OnvifSimulator({ name: 'cam-fault', username: USER, password: PASS, rtspUrl: rtsp.url, ...o.sim });
  await sim.start();
  cleanup.push(() => sim.stop());
  const events: EventDraft[] = [];
  const warnings: string[] = [];
  const def = await builtinRegistry().get('onvif-camera');
  const cam = createDevice(
    def,
    {
      id: 'cam-fault',
      type: 'onvif-camera',
      pollMs: 5000,
      timeoutMs: o.timeoutMs ?? 8000,
      transport: { kind: 'onvif', host: '127.0.0.1', port: sim.port, username: USER, password: o.password ?? PASS },
      options: { healthIntervalMs: 1000 },
    },
    {
      emit: async (d) => void events.push(d),
      log: { info: () => {}, warn: (m, f) => void warnings.push(`${m} ${JSON.stringify(f ?? {})}`) },
      buses: new BusManager(),
      lines: new LineManager(),
      ...(o.sink ? { snapshots: o.sink } : {}),
    },
  ) as DeviceHandle & OnvifCamera;
  cleanup.push(() => cam.stop());
  cam.start();
  return { rtsp, sim, cam, events, warnings };
}

const offline = (events: EventDraft[]) => events.find((e) => e.kind === 'device.offline');
const reason = (e: EventDraft | undefined) => (e?.kind === 'device.offline' ? e.payload.reason : '');

describe('camera on command', () => {
  it('camera.snapshot prefers the HTTP snapshot URI and hands the picture to the sink', async () => {
    const saved: string[] = [];
    const { cam, events } = await rig({
      sim: { snapshot: true },
      sink: { save: async (s) => (saved.push(s.cameraId), `ref-${s.takenAt}`) },
    });
    await until(() => events.find((e) => e.kind === 'device.online'), 'device.online', 30_000);
    const result = await cam.command!('camera.snapshot', {});
    expect(result).toMatchObject({ ref: expect.stringMatching(/^ref-\d+$/), source: 'http', width: 640, height: 360 });
    expect(saved).toEqual(['cam-fault']);
    await expect(cam.command!('gate.open', {})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(noFfmpegLeft()).toBe(true);
  });
});

describe('camera faults: clear errors, offline events, no crash, no hung promise, no leaked ffmpeg', () => {
  it('wrong credentials', async () => {
    const { cam, events, sim, warnings } = await rig({ password: 'not-the-password' });
    const off = await until(() => offline(events), 'device.offline');
    expect(reason(off)).toMatch(/credentials refused/);
    expect(sim.refusals).toBeGreaterThan(0);
    // The password never appears in what the camera logs or emits.
    expect(JSON.stringify(events) + warnings.join()).not.toContain('not-the-password');
    await expect(cam.snapshot()).rejects.toMatchObject({ code: 'OFFLINE' });
    expect(cam.online()).toBe(false);
    expect(noFfmpegLeft()).toBe(true);
  });

  it('a malformed ONVIF response', async () => {
    const { cam, events } = await rig({ sim: { fault: 'malformed' } });
    const off = await until(() => offline(events), 'device.offline');
    expect(reason(off)).toMatch(/no usable media profile.*malformed/);
    expect(cam.online()).toBe(false);
    expect(noFfmpegLeft()).toBe(true);
  });

  it('an RTSP server that accepts but never sends a frame', async () => {
    const { cam, events } = await rig({ rtsp: { mode: 'hang' }, timeoutMs: 2000 });
    // The counter sees the stuck ffmpeg while it hangs, so "none left" below means something.
    await until(() => ffmpegChildren().length > 0, 'an ffmpeg pulling the hung stream');
    const off = await until(() => offline(events), 'device.offline');
    expect(reason(off)).toMatch(/no frame from rtsp:\/\/installer:\*\*\*@127\.0\.0\.1:\d+\/stream1 within 2000 ms/);
    expect(reason(off)).not.toContain(PASS);
    // A snapshot on command fails the same clear way and settles (the test would time out otherwise).
    await expect(cam.snapshot()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await until(() => noFfmpegLeft(), 'every ffmpeg reaped');
  });

  it('a camera that vanishes mid-stream', async () => {
    const { cam, events, rtsp } = await rig({ rtsp: { vanishAfterS: 6 } });
    await until(() => events.find((e) => e.kind === 'device.online'), 'device.online', 30_000);
    expect(cam.latest()).toMatchObject({ streamAlive: 1 });
    await rtsp.exited;
    const off = await until(() => offline(events), 'device.offline', 30_000);
    expect(reason(off)).toMatch(/no frame from rtsp:/);
    expect(cam.online()).toBe(false);
    await expect(cam.snapshot()).rejects.toMatchObject({ code: expect.stringMatching(/STREAM|TIMEOUT/) });
    await until(() => noFfmpegLeft(), 'every ffmpeg reaped');
  });
});
