import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { definition } from '../../src/definitions/gb28181-camera.js';
import type { DeviceConfig } from '../../src/device-types.js';
import { createDevice } from '../../src/device.js';
import { GbDevice } from '../../src/gb28181/devices/gb-device.js';
import { LowerAgent, type LowerAgentOptions } from '../../src/gb28181/lower-agent.js';
import { alarmXml, catalogResponsePages, type CatalogItem } from '../../src/gb28181/manscdp-messages.js';
import type { Gb28181Transport } from '../../src/transport.js';
import { BusManager } from '../../src/bus/bus-manager.js';
import { LineManager } from '../../src/line/line-manager.js';
import { freeSipPort } from '../../../test/helpers/processes.js';
import { until } from './until.js';

/**
 * The gateway as the compound's platform: cameras and NVRs (played by the
 * LowerAgent that `linli-sim --gb-device` runs) register to a gb28181 device's
 * shared SIP listener over real loopback sockets.
 */
const SERVER = '34020000002000000001';
const NVR = '34020000001110000001';
const CAMERA = '34020000001320000002';
const timers = { t1Ms: 40, t2Ms: 160 };
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

function passwordFile(pw: string, mode = 0o600): string {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-gbdev-')), 'gb.password');
  writeFileSync(file, `${pw}\n`);
  chmodSync(file, mode);
  return file;
}

function device(port: number, o: Partial<Gb28181Transport> & { id?: string } = {}) {
  const events: EventDraft[] = [];
  const warnings: string[] = [];
  const transport: Gb28181Transport = {
    kind: 'gb28181',
    deviceId: NVR,
    server: { id: SERVER, host: '127.0.0.1', port },
    passwordFile: passwordFile('cam-pw-7'),
    keepaliveS: 0.1,
    keepaliveMisses: 3,
    catalog: true,
    ...o,
  };
  const cfg: DeviceConfig = { id: o.id ?? 'nvr-1', type: 'gb28181-camera', pollMs: 1000, timeoutMs: 1000, transport };
  const ctx = {
    emit: async (e: EventDraft) => void events.push(e),
    log: {
      info: () => {},
      warn: (m: string, f?: Record<string, unknown>) => void warnings.push(`${m} ${JSON.stringify(f)}`),
    },
    buses: new BusManager(),
    lines: new LineManager(),
  };
  const d = new GbDevice(definition, cfg, ctx, timers);
  d.start();
  stops.push(() => d.stop());
  return { d, events, warnings };
}

function camera(port: number, o: Partial<LowerAgentOptions> = {}) {
  const a = new LowerAgent({
    ...{ deviceId: NVR, serverId: SERVER, serverDomain: '3402000000', serverHost: '127.0.0.1', serverPort: port },
    ...{ transport: 'UDP', password: 'cam-pw-7', expiresS: 3600, keepaliveS: 0.05, keepaliveMisses: 3 },
    ...{ charset: 'GB2312', bindHost: '127.0.0.1', timers, backoffMaxMs: 200, answer: () => [] },
    ...o,
  } as LowerAgentOptions);
  a.start();
  stops.push(() => a.stop());
  return a;
}

/** What an online wait says when it gives up: with the SIP listener's error, the usual reason a device never comes online. */
const onlineOf = (d: GbDevice) => () => `device online (listener: ${d.listenError() ?? 'open'})`;
const kinds = (events: EventDraft[]) => events.map((e) => e.kind);

describe('GB/T 28181 cameras registering to the gateway', () => {
  it('challenges, then accepts the right password; refuses a wrong one and an unknown id with 403', async () => {
    const port = await freeSipPort();
    const { d, events, warnings } = device(port);
    const wrong = camera(port, { password: 'guess' });
    await until(() => wrong.status().lastError, 'the refusal');
    expect(wrong.status().lastError).toMatch(/密码错误（403/);
    expect(d.online()).not.toBe(true);
    await until(() => warnings.some((w) => w.includes('wrong password')), 'the refusal logged');
    await wrong.stop();

    const stranger = camera(port, { deviceId: '34020000001320000099' });
    await until(() => stranger.status().lastError, 'the stranger refused');
    expect(stranger.status().lastError).toMatch(/不接受本设备编码（403）/);
    await stranger.stop();

    for (const transport of ['UDP', 'TCP'] as const) {
      const right = camera(port, { transport });
      await until(() => right.status().state === 'registered', `registered over ${transport}`);
      await until(() => d.online(), onlineOf(d));
      expect(d.latest()).toMatchObject({ registered: 1 });
      await right.stop(); // sends REGISTER with Expires: 0
      await until(() => d.online() === false, 'device offline after unregistering');
    }
    expect(kinds(events)).toEqual(['device.online', 'device.offline', 'device.online', 'device.offline']);
    expect(events[1]).toMatchObject({ payload: { reason: expect.stringMatching(/unregistered/) } });
  });

  it('keeps a device online while keepalives arrive and marks it offline when they stop', async () => {
    const port = await freeSipPort();
    const { d, events } = device(port, { keepaliveS: 0.1, keepaliveMisses: 3 });
    const cam = camera(port, { keepaliveS: 0.05 });
    await until(() => d.online(), onlineOf(d));
    // Twenty keepalives (a second, over three 300 ms windows) arrive with the device still online: they hold it.
    await until(() => d.keepalives >= 20 || d.online() === false, 'twenty keepalives or an offline');
    expect(d.online()).toBe(true);
    expect(kinds(events)).toEqual(['device.online']);

    // A camera that registers but never sends keepalives (its interval far beyond ours) goes offline.
    await cam.stop();
    const { d: quiet, events: quietEvents } = device(port, { id: 'cam-quiet', deviceId: CAMERA });
    const silent = camera(port, { deviceId: CAMERA, keepaliveS: 600 });
    await until(() => silent.status().state === 'registered', 'registered');
    await until(() => quiet.online() === false, 'offline after missed keepalives');
    expect(kinds(quietEvents)).toEqual(['device.online', 'device.offline']);
    expect(quietEvents[1]).toMatchObject({ payload: { reason: expect.stringMatching(/keepalives stopped/) } });
  });

  it('turns Alarm notifications into events, answered 200', async () => {
    const port = await freeSipPort();
    const channels: CatalogItem[] = [{ deviceId: CAMERA, name: '北门', civilCode: '340200', status: 'ON' }];
    const { events, d } = device(port);
    const cam = camera(port, {
      answer: (q) => (q.cmdType === 'Catalog' ? catalogResponsePages(NVR, q.sn, channels, 10, 'GB2312') : []),
    });
    await until(() => d.channels()?.length, 'catalog');
    const alarm = (method: 1 | 2 | 5, alarmType?: number) =>
      cam.notify(
        alarmXml(
          cam.nextSn(),
          {
            deviceId: CAMERA,
            priority: 1,
            method,
            time: new Date(),
            description: '测试',
            ...(alarmType ? { alarmType } : {}),
          },
          'GB2312',
        ),
      );
    expect(await alarm(5, 2)).toBe(true);
    expect(await alarm(2, 2)).toBe(true);
    expect(await alarm(1)).toBe(true);
    await until(() => events.length >= 4, 'three alarm events');
    expect(events.slice(1)).toMatchObject([
      { kind: 'camera.motion', deviceId: 'nvr-1', payload: { region: '北门' } },
      { kind: 'camera.tamper', deviceId: 'nvr-1' },
      {
        kind: 'rule.alert',
        payload: { rule: 'gb28181-alarm', text: expect.stringMatching(/^国标电话报警：北门，测试/) },
      },
    ]);
  });

  it('asks an NVR for its Catalog after registering and shows its channels, paged over several MESSAGEs', async () => {
    const port = await freeSipPort();
    const channels: CatalogItem[] = Array.from({ length: 12 }, (_, i) => ({
      deviceId: `340200000013200001${String(i).padStart(2, '0')}`,
      name: `通道${i + 1}`,
      civilCode: '340200',
      parentId: NVR,
      status: i === 11 ? 'OFF' : 'ON',
    }));
    const { d } = device(port);
    camera(port, {
      answer: (q) => (q.cmdType === 'Catalog' ? catalogResponsePages(NVR, q.sn, channels, 5, 'GB2312') : []),
    });
    await until(() => d.channels()?.length === 12, 'twelve channels');
    expect(d.latest()).toEqual({ registered: 1, channels: 12 });
    expect(d.note()).toMatch(/^通道 12 个，在线 11：通道1、通道2、.*通道12（离线）$/);
  });

  it('shares one listener between devices on a port and refuses a second platform id on it', async () => {
    const port = await freeSipPort();
    const a = device(port);
    const b = device(port, { id: 'cam-2', deviceId: CAMERA });
    camera(port);
    camera(port, { deviceId: CAMERA });
    await until(() => a.d.online() && b.d.online(), 'both registered on one port');
    const clash = device(port, {
      id: 'cam-3',
      deviceId: '34020000001320000003',
      server: { id: '34020000002000000009', host: '127.0.0.1', port },
    });
    await until(() => clash.d.online() === false, 'the clash reported');
    expect(clash.d.note()).toMatch(/already serves platform 34020000002000000001/);
  });

  it('refuses a password file other users can read, and is built through the protocol registry', async () => {
    const port = await freeSipPort();
    const open = device(port, { passwordFile: passwordFile('x', 0o644) });
    await until(() => open.d.online() === false, 'refused');
    expect(open.d.note()).toMatch(/chmod 600/);
    const handle = createDevice(
      definition,
      {
        id: 'reg',
        type: 'gb28181-camera',
        pollMs: 1000,
        timeoutMs: 1000,
        transport: {
          kind: 'gb28181',
          deviceId: CAMERA,
          server: { id: SERVER, host: '127.0.0.1', port: await freeSipPort() },
          password: 'p',
          keepaliveS: 0.1,
          keepaliveMisses: 1,
          catalog: false,
        },
      },
      {
        emit: async () => {},
        log: { info: () => {}, warn: () => {} },
        buses: new BusManager(),
        lines: new LineManager(),
      },
    );
    expect(handle).toBeInstanceOf(GbDevice);
    handle.start();
    stops.push(() => handle.stop());
    // Nothing registers: offline after one missed keepalive window, saying so.
    await until(() => handle.online() === false, 'offline without a registration');
  });
});
