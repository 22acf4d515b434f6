import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OnvifSimulator, type OnvifSimOptions, startRtspServer } from '@linli/drivers';
import { freePort } from '../../helpers/processes.js';
import { configText, GRID, gw } from './cli-run.js';

const USER = 'installer';
const PASS = 'Cam-test-pass-4711';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface Row {
  id: string;
  ok: boolean;
  detail: string;
  fix: string;
  step?: string;
}

describe('linli-gateway test on cameras', () => {
  it('names the step that fails (login, profiles, stream) with its reason, and passes a good camera', async () => {
    const rtsp = await startRtspServer({ pattern: 'white' });
    cleanup.push(() => rtsp.stop());
    const nowhere = `rtsp://127.0.0.1:${await freePort()}/stream1`;
    const camera = async (name: string, o: Partial<OnvifSimOptions> = {}) => {
      const sim = new OnvifSimulator({ name, username: USER, password: PASS, rtspUrl: rtsp.url, ...o });
      await sim.start();
      cleanup.push(() => sim.stop());
      return sim.port;
    };
    const dir = mkdtempSync(join(tmpdir(), 'linli-camtest-'));
    writeFileSync(join(dir, 'cam.pw'), `${PASS}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'wrong.pw'), 'not-the-password\n', { mode: 0o600 });
    const cams: [string, number, string][] = [
      ['cam-good', await camera('cam-good'), 'cam.pw'],
      ['cam-wrong-password', await camera('cam-wrong-password'), 'wrong.pw'],
      ['cam-no-profiles', await camera('cam-no-profiles', { fault: 'no-profiles' }), 'cam.pw'],
      ['cam-bad-stream', await camera('cam-bad-stream', { rtspUrl: nowhere }), 'cam.pw'],
      ['cam-no-events', await camera('cam-no-events', { events: false }), 'cam.pw'],
    ];
    const file = join(dir, 'cams.yaml');
    writeFileSync(
      file,
      configText({
        devices: cams
          .map(
            ([id, port, pw]) => `  - id: ${id}
    type: onvif-camera
    timeoutMs: 15000
    transport: { kind: onvif, host: 127.0.0.1, port: ${port}, username: ${USER}, passwordFile: ./${pw} }
    location: { lng: 116.98, lat: 33.64, gridId: "${GRID}" }`,
          )
          .join('\n'),
      }),
    );
    const res = await gw(['test', '--config', file, '--json']);
    expect(res.code).toBe(1);
    const rows = Object.fromEntries((JSON.parse(res.out).results as Row[]).map((r) => [r.id, r]));

    expect(rows['cam-good']).toMatchObject({ ok: true, fix: '' });
    expect(rows['cam-good']!.detail).toMatch(/snapshot 640×360 via rtsp; 事件订阅正常 events subscribed/);

    expect(rows['cam-wrong-password']).toMatchObject({ ok: false, step: 'login' });
    expect(rows['cam-wrong-password']!.detail).toMatch(/^登录 login: .*credentials refused/);
    expect(rows['cam-wrong-password']!.fix).toContain(`ONVIF user "${USER}"`);

    expect(rows['cam-no-profiles']).toMatchObject({ ok: false, step: 'profiles' });
    expect(rows['cam-no-profiles']!.detail).toMatch(/no usable media profile/);
    expect(rows['cam-no-profiles']!.fix).toMatch(/^logged in, but .*media profile/);

    // A good login with a bad stream is about the stream, not the password.
    expect(rows['cam-bad-stream']).toMatchObject({ ok: false, step: 'stream' });
    expect(rows['cam-bad-stream']!.detail).toMatch(
      /^视频流 video stream: no frame from rtsp:\/\/installer:\*\*\*@127\.0\.0\.1/,
    );
    expect(rows['cam-bad-stream']!.fix).toMatch(/^logged in and found the stream/);
    expect(rows['cam-bad-stream']!.fix).not.toMatch(/password/);

    expect(rows['cam-no-events']).toMatchObject({ ok: true });
    expect(rows['cam-no-events']!.detail).toContain('snapshots only');

    // Each failure says something different; none echoes the password.
    const fixes = ['cam-wrong-password', 'cam-no-profiles', 'cam-bad-stream'].map((id) => rows[id]!.fix);
    expect(new Set(fixes).size).toBe(3);
    expect(res.out + res.err).not.toContain('not-the-password');
    expect(res.out + res.err).not.toContain(PASS);
  }, 180_000);
});
