import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifSimulator } from '../../src/sim/onvif-sim.js';

// node-onvif: an independent ONVIF client (its own SOAP, WS-Security and Digest code), to check the simulator
// is not only good enough for the `onvif` library the gateway uses. It has no PullPoint support, so events
// are checked with `onvif` only (onvif-client and the integration tests).
type NodeOnvifDevice = {
  init(): Promise<{ Manufacturer: string; Model: string; SerialNumber: string }>;
  getCurrentProfile(): {
    token: string;
    stream: { rtsp: string };
    snapshot: string;
    video: { encoder: { resolution: { width: number } } };
  };
  fetchSnapshot(): Promise<{ headers: Record<string, string>; body: Buffer }>;
};
type NodeOnvif = { OnvifDevice: new (o: { xaddr: string; user: string; pass: string }) => NodeOnvifDevice };

describe('the ONVIF simulator through node-onvif', () => {
  const sim = new OnvifSimulator({
    name: 'cam-xcheck',
    username: 'installer',
    password: 'Xcheck-pass-9',
    rtspUrl: 'rtsp://127.0.0.1:8554/stream1',
    snapshot: true,
  });
  let onvif: NodeOnvif;
  beforeAll(async () => {
    await sim.start();
    const untyped = 'node-onvif'; // it ships no types; the shape used here is declared above
    onvif = ((await import(untyped)) as { default: NodeOnvif }).default;
  });
  afterAll(() => sim.stop());

  it('reads device information, the profile, the stream URI and fetches a Digest-protected snapshot', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: sim.deviceUrl, user: 'installer', pass: 'Xcheck-pass-9' });
    const info = await dev.init();
    expect(info).toMatchObject({ Manufacturer: 'Linli', Model: 'SIM-IPC', SerialNumber: 'cam-xcheck' });
    const profile = dev.getCurrentProfile();
    expect(profile.token).toBe('profile_1');
    expect(profile.stream.rtsp).toBe('rtsp://127.0.0.1:8554/stream1');
    expect(profile.snapshot).toBe(`${sim.base}/onvif/snapshot.jpg`);
    expect(profile.video.encoder.resolution.width).toBe(640);
    const snap = await dev.fetchSnapshot();
    expect(snap.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(snap.body).metadata()).width).toBe(640);
    expect(sim.refusals).toBe(0);
  });

  it('is refused with a wrong password', async () => {
    const dev = new onvif.OnvifDevice({ xaddr: sim.deviceUrl, user: 'installer', pass: 'wrong' });
    await expect(dev.init()).rejects.toThrow();
    expect(sim.refusals).toBeGreaterThan(0);
  });
});
