import { discoverCameras, OnvifSimulator } from '@linli/drivers';
import { Discovery } from 'onvif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// WS-Discovery over the real multicast group (239.255.255.250:3702, looped back by the kernel):
// the installer's probe and two independent ONVIF clients all find the simulated camera.
describe('WS-Discovery over multicast', () => {
  const sim = new OnvifSimulator({
    name: 'cam-discover',
    username: 'installer',
    password: 'Discover-pass-3',
    rtspUrl: 'rtsp://127.0.0.1:8554/stream1',
    discoveryPort: 3702,
  });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('discoverCameras, the onvif library and node-onvif all find it', async () => {
    const ours = await discoverCameras({ timeoutMs: 1500 });
    expect(ours.find((c) => c.urn === sim.urn)).toMatchObject({
      host: '127.0.0.1',
      port: sim.port,
      name: 'cam-discover',
    });

    const viaOnvif = await new Promise<{ probeMatches: { probeMatch: { XAddrs: string } } }[]>((resolve, reject) =>
      Discovery.probe({ timeout: 1500, resolve: false }, (err, found) =>
        // The library reports other hosts' garbage as errors; only our camera matters here.
        found ? resolve(found as never) : reject(err),
      ),
    );
    expect(viaOnvif.map((m) => m.probeMatches.probeMatch.XAddrs)).toContain(sim.deviceUrl);

    const untyped = 'node-onvif';
    const nodeOnvif = (
      (await import(untyped)) as { default: { startProbe(): Promise<{ urn: string; xaddrs: string[] }[]> } }
    ).default;
    const viaNodeOnvif = await nodeOnvif.startProbe();
    expect(viaNodeOnvif.find((d) => d.urn === sim.urn)?.xaddrs).toEqual([sim.deviceUrl]);
  });
});
