import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHttpSnapshot } from '../../src/camera/http-snapshot.js';
import { OnvifSimulator } from '../../src/sim/onvif-sim.js';

describe('HTTP snapshot with Digest authentication', () => {
  const sim = new OnvifSimulator({
    name: 'cam-snap',
    username: 'viewer',
    password: 'Snap-pass-42',
    rtspUrl: 'rtsp://127.0.0.1:1/none',
    snapshot: true,
  });
  beforeAll(() => sim.start());
  afterAll(() => sim.stop());

  it('fetches a JPEG, and curl --digest (an independent client) agrees with the simulator', async () => {
    const url = `http://127.0.0.1:${sim.port}/onvif/snapshot.jpg`;
    const jpeg = await fetchHttpSnapshot(url, { username: 'viewer', password: 'Snap-pass-42', timeoutMs: 5000 });
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    // Async: the simulator answers from this same process, so a synchronous child would deadlock.
    const curl = (args: string[]) =>
      promisify(execFile)('curl', args, { encoding: 'buffer' }).then((r) => r.stdout as Buffer);
    const viaCurl = await curl(['-s', '--digest', '-u', 'viewer:Snap-pass-42', url]);
    // The picture has a running clock, so two fetches may differ by a second: compare what it is, not its bytes.
    expect(await sharp(viaCurl).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
    expect(viaCurl.subarray(0, 2).toString('hex')).toBe('ffd8');
    const refused = await curl(['-s', '-o', '/dev/null', '-w', '%{http_code}', '--digest', '-u', 'viewer:x', url]);
    expect(refused.toString()).toBe('401');
  });

  it('wrong credentials and dead hosts give clear errors', async () => {
    const url = `http://127.0.0.1:${sim.port}/onvif/snapshot.jpg`;
    await expect(
      fetchHttpSnapshot(url, { username: 'viewer', password: 'nope', timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'AUTH',
    });
    await expect(fetchHttpSnapshot('http://127.0.0.1:1/x.jpg', { timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'SNAPSHOT',
    });
  });
});
