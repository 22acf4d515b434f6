import { createSocket } from 'node:dgram';
import { gb28181, type GbPlatformSimulator, inviteLive } from '@linli/drivers';
import type { Controller } from '@linli/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGbCamera } from '../helpers/gb-camera.js';
import { downwardCameraYaml, GB_GW, GW, startGbGateway, startUpperPlatform } from '../helpers/gb-gateway.js';
import { startHub } from '../helpers/in-process.js';
import { freeSipPort, until, untilAsync } from '../helpers/processes.js';

/**
 * A relayed live view whose camera loses power: the GB/T 28181 camera
 * registered to the gateway stops sending RTP and sends no BYE. The gateway
 * (relaySilenceS: 1) ends the relay by itself: BYE to the camera and to the
 * upper platform, and the stream slot (maxStreams: 1) is free again. The
 * camera's media is a plain RTP sender over loopback UDP (no ffmpeg); its
 * "power cut" stops the packets and nothing else. A camera that answers
 * but never sends is hung up after the start grace (3 × relaySilenceS).
 */
const IPC = '34130200001320000201';
const PW = 'Cam-gb-pw-7731';
let platform: GbPlatformSimulator;
let gw: Controller;
const cleanup: (() => Promise<void> | void)[] = [];

/** One live view the camera is sending: `powerCut` stops its packets without a BYE; `stopped` once its call ended. */
interface Sender {
  powerCut: () => void;
  stopped: boolean;
  sent: number;
}
const senders: Sender[] = [];
/** The next live view answers the INVITE but never sends a packet (an encoder that does not start). */
let muteNext = false;

/** RTP packets (PS payload type, the offered SSRC) every 20 ms to where the gateway's INVITE asked. */
const rtpSender: gb28181.LiveRelaySource = (offer) => {
  const udp = createSocket('udp4');
  let timer: NodeJS.Timeout | undefined;
  const s: Sender = { powerCut: () => clearInterval(timer), stopped: false, sent: 0 };
  senders.push(s);
  return {
    open: async (host) => {
      await new Promise<void>((r) => udp.bind(0, host, r));
      return { port: udp.address().port };
    },
    start: async () => {
      if (muteNext) return;
      timer = setInterval(() => {
        const p = Buffer.alloc(12 + 188);
        p[0] = 0x80;
        p[1] = offer.psPayloadType & 0x7f;
        p.writeUInt16BE(s.sent & 0xffff, 2);
        p.writeUInt32BE((s.sent * 3600) >>> 0, 4);
        p.writeUInt32BE(offer.ssrc >>> 0, 8);
        p.writeUInt32BE(0x000001ba, 12); // a PS pack start code, as a camera's payload begins
        udp.send(p, offer.port, offer.address);
        s.sent++;
      }, 20);
    },
    stop: async () => {
      clearInterval(timer);
      s.stopped = true;
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
};

beforeAll(async () => {
  const h = await startHub(GW);
  cleanup.push(() => h.hub.stop());
  platform = await startUpperPlatform(cleanup);
  const downPort = await freeSipPort();
  gw = await startGbGateway({
    hub: { url: h.url, token: h.token },
    platform,
    secrets: { 'cams.pw': PW },
    gb: ['maxStreams: 1', 'relaySilenceS: 1'],
    devices: `${downwardCameraYaml({ id: 'ipc-west', deviceId: IPC, downPort, lng: 117.03, transport: '\n      catalog: false' })}
`,
    cleanup,
  });
  const ipc = startGbCamera({
    deviceId: IPC,
    serverId: GB_GW,
    port: downPort,
    password: PW,
    channels: [],
    rtspUrl: 'rtsp://127.0.0.1:9/unused',
    source: rtpSender,
  });
  cleanup.push(() => ipc.stop());
  await until(() => platform.devices.get(GB_GW)?.online, 'the gateway registered at the platform', 20_000);
  await untilAsync(
    async () => (await platform.catalog(GB_GW)).some((i) => i.deviceId === IPC && i.status === 'ON'),
    'the camera on line in the gateway Catalog',
    20_000,
  );
}, 90_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('GB/T 28181 relay: a camera that goes silent without a BYE', () => {
  it('is hung up both ways after relaySilenceS, and the stream slot is free again', async () => {
    const first = await inviteLive(platform, GB_GW, IPC, 'UDP');
    expect(first.status).toBe(200);
    const receiver = first.receiver!;
    cleanup.push(() => receiver.stop());
    // Packets flowing for longer than the silence allowed: the relay stays up.
    await until(() => receiver.received >= 80, 'packets relayed for well over a second', 20_000);
    expect(receiver.byeReceived).toBe(false);
    expect(gw.health().gb28181).toMatchObject({ liveStreams: 1 });
    expect((await inviteLive(platform, GB_GW, IPC, 'UDP')).status).toBe(486);

    senders[0]!.powerCut();
    await until(() => receiver.byeReceived, 'the gateway’s BYE at the platform', 15_000);
    await until(() => senders[0]!.stopped, 'the gateway’s BYE at the camera (its call ended)', 10_000);
    await until(() => gw.health().gb28181?.liveStreams === 0, 'the relay gone', 10_000);

    const again = await inviteLive(platform, GB_GW, IPC, 'UDP');
    expect(again.status).toBe(200);
    cleanup.push(() => again.receiver!.stop());
    await until(() => again.receiver!.received > 0, 'video relayed on the freed slot', 10_000);
    expect(await again.receiver!.bye()).toBe(200);
  });

  it('is hung up after the start grace (3 × relaySilenceS) when the camera answers but never sends', async () => {
    muteNext = true;
    const call = await inviteLive(platform, GB_GW, IPC, 'UDP');
    expect(call.status).toBe(200);
    const receiver = call.receiver!;
    cleanup.push(() => receiver.stop());
    const sender = senders.at(-1)!;
    await until(() => receiver.byeReceived, 'the gateway’s BYE at the platform', 20_000);
    await until(() => sender.stopped, 'the gateway’s BYE at the camera', 10_000);
    expect(receiver.received).toBe(0);
    await until(() => gw.health().gb28181?.liveStreams === 0, 'the relay gone', 10_000);
  });
});
