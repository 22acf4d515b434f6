import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveGrabs } from '../../src/camera/ffmpeg-grab.js';
import { LiveSessions } from '../../src/gb28181/live/live-sessions.js';
import { PSM } from '../../src/gb28181/live/ps-rtp.js';
import { LowerAgent } from '../../src/gb28181/lower-agent.js';
import { GbPlatformSimulator } from '../../src/sim/gb-platform-sim.js';
import { inviteLive } from '../../src/gb28181/live/invite-live.js';
import type { LiveReceiver } from '../../src/gb28181/live/live-receiver.js';
import { type RtspServer, startRtspServer } from '../../src/sim/rtsp-server.js';
import { until } from './until.js';

/**
 * Live view end to end on loopback: a GStreamer RTSP camera, the lower side
 * with LiveSessions (ffmpeg → PS → RTP), the platform simulator inviting it;
 * what arrives must be a program stream ffprobe reads as H.264.
 */
const SERVER = '34020000002000000001';
const GATEWAY = '34130200002000000001';
const CHANNEL = '34130200001320000001';
/** A channel whose camera has no RTSP server (port 9 on loopback: nothing listens), so ffmpeg exits at once. */
const DEAD = '34130200001320000002';
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

async function setup(maxStreams: number) {
  const p = new GbPlatformSimulator({
    id: SERVER,
    domain: '3402000000',
    password: 'pw-live',
    keepaliveTimeoutMs: 5000,
    timers,
  });
  await p.start();
  stops.push(() => p.stop());
  let agent: LowerAgent | null = null;
  const live = new LiveSessions({
    deviceId: GATEWAY,
    bindHost: '127.0.0.1',
    advertise: () => agent?.contact()?.host ?? '127.0.0.1',
    maxStreams,
    source: (ch) => (ch === CHANNEL ? rtsp.url : ch === DEAD ? 'rtsp://127.0.0.1:9/stream1' : null),
    request: (req) => agent!.request(req),
    identity: () => agent?.identity() ?? null,
  });
  agent = new LowerAgent({
    ...{ deviceId: GATEWAY, serverId: SERVER, serverDomain: '3402000000', serverHost: '127.0.0.1', serverPort: p.port },
    ...{
      transport: 'UDP',
      password: 'pw-live',
      expiresS: 3600,
      keepaliveS: 0.2,
      keepaliveMisses: 2,
      charset: 'GB2312',
    },
    ...{ bindHost: '127.0.0.1', timers, backoffMaxMs: 300, answer: () => [] },
    handle: (req) => live.handle(req),
    onLost: () => void live.stopAll('link lost'),
  });
  agent.start();
  stops.push(() => live.stopAll('test end'));
  stops.push(() => agent!.stop());
  await until(() => agent!.status().state === 'registered', 'registration');
  return { p, live, agent };
}

function probe(ps: Buffer): { codec_name: string; width: number } {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-ps-')), 'live.ps');
  writeFileSync(file, ps);
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(out) as { streams: { codec_name: string; width: number }[] }).streams[0]!;
}

describe.each(['UDP', 'TCP'] as const)('live view over %s', (transport) => {
  it('INVITE yields PS over RTP with the offered SSRC that ffprobe reads as H.264; BYE ends ffmpeg', async () => {
    const { p, live } = await setup(2);
    const { status, receiver } = await inviteLive(p, GATEWAY, CHANNEL, transport);
    expect(status).toBe(200);
    stops.push(() => receiver!.stop());
    await until(() => receiver!.ps().length > 60_000, 'a few seconds of video');
    expect([...receiver!.ssrcs]).toEqual([receiver!.ssrc]);
    // GB/T 28181 receivers want stream id 0xE0 and a program stream map (stream_type 0x1B).
    expect(receiver!.ps().indexOf(PSM)).toBeGreaterThan(0);
    expect(probe(receiver!.ps())).toMatchObject({ codec_name: 'h264', width: 320 });
    expect(live.count()).toBe(1);
    expect(await receiver!.bye()).toBe(200);
    await until(() => live.count() === 0 && liveGrabs.size === 0, 'the stream and its ffmpeg gone after BYE');
  });
});

describe('live view limits and faults', () => {
  it('refuses a stream beyond the limit with 486 Busy Here, and an unknown channel with 404', async () => {
    const { p } = await setup(1);
    const first = await inviteLive(p, GATEWAY, CHANNEL, 'UDP');
    expect(first.status).toBe(200);
    stops.push(() => first.receiver!.stop());
    expect((await inviteLive(p, GATEWAY, CHANNEL, 'UDP')).status).toBe(486);
    expect((await inviteLive(p, GATEWAY, '34130200001320000099', 'UDP')).status).toBe(404);
  });

  it('a stream that ends on the gateway’s side (ffmpeg exited) is ended at the platform with BYE', async () => {
    const { p, live } = await setup(2);
    const { status, receiver } = await inviteLive(p, GATEWAY, DEAD, 'UDP');
    expect(status).toBe(200);
    stops.push(() => receiver!.stop());
    await until(() => receiver!.byeReceived, 'the gateway’s BYE at the platform');
    expect(live.count()).toBe(0);
  });

  it('the platform restarting mid-stream ends the stream at the gateway, which registers again', async () => {
    const { p, live, agent } = await setup(2);
    const { receiver } = await inviteLive(p, GATEWAY, CHANNEL, 'UDP');
    stops.push(() => (receiver as LiveReceiver).stop());
    await until(() => receiver!.received > 20, 'the stream flowing');
    const before = agent.status().registrations;
    await p.restart();
    await until(() => live.count() === 0 && liveGrabs.size === 0, 'the stream stopped once the platform forgot us');
    await until(
      () => agent.status().registrations > before && agent.status().state === 'registered',
      'registered again',
    );
  });
});
