import { afterAll, describe, expect, it } from 'vitest';
import { OnvifClient } from '../../src/camera/onvif-client.js';
import { OnvifSimulator } from '../../src/sim/onvif-sim.js';

const USER = 'installer';
const PASS = 'S1m-camera-pass';

describe('onvif client against the ONVIF simulator', () => {
  const sims: OnvifSimulator[] = [];
  const start = async (over: Partial<ConstructorParameters<typeof OnvifSimulator>[0]> = {}) => {
    const sim = new OnvifSimulator({
      name: 'cam-test',
      username: USER,
      password: PASS,
      rtspUrl: 'rtsp://127.0.0.1:8554/stream1',
      snapshot: true,
      ...over,
    });
    await sim.start();
    sims.push(sim);
    return sim;
  };
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
  });

  it('reads identity, profile and media URIs with WS-UsernameToken', async () => {
    const sim = await start();
    const client = new OnvifClient({
      host: '127.0.0.1',
      port: sim.port,
      username: USER,
      password: PASS,
      timeoutMs: 5000,
    });
    const info = await client.connect();
    client.close();
    expect(info).toEqual({
      manufacturer: 'Linli',
      model: 'SIM-IPC',
      firmware: '1.0.0',
      serial: 'cam-test',
      profileToken: 'profile_1',
      streamUri: 'rtsp://127.0.0.1:8554/stream1',
      snapshotUri: `http://127.0.0.1:${sim.port}/onvif/snapshot.jpg`,
    });
    expect(sim.refusals).toBe(0);
  });

  it('wrong credentials give a clear AUTH error', async () => {
    const sim = await start();
    const client = new OnvifClient({
      host: '127.0.0.1',
      port: sim.port,
      username: USER,
      password: 'wrong',
      timeoutMs: 5000,
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'AUTH' });
    client.close();
    expect(sim.refusals).toBeGreaterThan(0);
  });

  it('a malformed media response is an error, not a crash', async () => {
    const sim = await start({ fault: 'malformed' });
    const client = new OnvifClient({
      host: '127.0.0.1',
      port: sim.port,
      username: USER,
      password: PASS,
      timeoutMs: 5000,
    });
    const err = await client.connect().catch((e: unknown) => e);
    client.close();
    expect(err).toMatchObject({ code: 'ONVIF' });
  });
});
