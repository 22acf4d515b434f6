import type { LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import type { DeviceEntry, Gb28181Config } from '../../src/config/schema.js';
import { alarmFor } from '../../src/gb28181/gb-alarms.js';
import { answerQuery, catalogChangesFor, type GbScene } from '../../src/gb28181/gb-answers.js';
import { type DownwardGb, forwardedAlarm, upChannels } from '../../src/gb28181/gb-channels.js';

const location = { lng: 117.02, lat: 33.65, gridId: '341302001001001' };
const camera = (id: string, gbId: string, covers: string[]): DeviceEntry =>
  ({
    id,
    type: 'onvif-camera',
    transport: { kind: 'onvif' },
    gbId,
    gbName: `${id} 名`,
    covers,
    location,
  }) as unknown as DeviceEntry;
const gb = {
  id: '34130200002000000001',
  charset: 'UTF-8',
  catalogPageSize: 1,
} as unknown as Gb28181Config;
const cameras = [
  camera('cam-east', '34130200001320000001', ['gate-east']),
  camera('cam-lift', '34130200001320000002', []),
];
const scene: GbScene = {
  gb,
  gatewayName: '韩池孜社区',
  channels: () =>
    upChannels(
      cameras,
      (id) => (id === 'cam-east' ? true : null),
      () => undefined,
    ),
};

/** A registered GB/T 28181 device as the gateway's driver reports it (the real one is tested in drivers/test/gb28181). */
const NVR = '34130200001180000001';
const downward = (channels: gb28181.CatalogItem[] | null, online = true): DownwardGb => ({
  gbDeviceId: () => NVR,
  online: () => online,
  channels: () => channels,
  liveLeg: () => Promise.reject(new Error('not in this test')),
  control: () => Promise.reject(new Error('not in this test')),
  onAlarm: () => () => undefined,
  onCatalog: () => () => undefined,
});
const gbEntry = (id: string, extra: object = {}) =>
  ({
    id,
    type: 'gb28181-camera',
    transport: { kind: 'gb28181', deviceId: NVR },
    location,
    ...extra,
  }) as unknown as DeviceEntry;
const ch = (n: number, status: 'ON' | 'OFF' = 'ON'): gb28181.CatalogItem => ({
  deviceId: `3413020000132000010${n}`,
  name: `通道${n}`,
  civilCode: '341302',
  status,
});

const event = (kind: string, deviceId: string, payload: object, severity = 'critical') =>
  ({ kind, deviceId, payload, severity, receivedAt: Date.UTC(2026, 11, 2, 1), location }) as unknown as LinliEvent;

describe('GB/T 28181 answers from the gateway', () => {
  it('pages the Catalog one channel per MESSAGE with ON/OFF from the drivers', () => {
    const q = { root: 'Query', cmdType: 'Catalog', sn: 4, deviceId: gb.id, body: {} } as const;
    const pages = answerQuery(q, scene).map((xml) => gb28181.parseManscdp(xml));
    expect(pages).toHaveLength(2);
    const items = pages.flatMap((p) => (p.ok ? gb28181.readCatalogPage(p.value) : { ok: false as const }));
    expect(items.map((r) => r.ok && [r.value.sumNum, r.value.items[0]!.deviceId, r.value.items[0]!.status])).toEqual([
      [2, '34130200001320000001', 'ON'],
      [2, '34130200001320000002', 'OFF'],
    ]);
  });

  it('answers nothing for a code that is neither the gateway nor one of its channels', () => {
    expect(
      answerQuery({ root: 'Query', cmdType: 'DeviceInfo', sn: 1, deviceId: '34130200001320000099', body: {} }, scene),
    ).toEqual([]);
  });

  it('names the covering camera in the Alarm, and the gateway when none covers the device', () => {
    expect(alarmFor(event('gate.forced', 'gate-east', { door: '东门' }), gb.id, cameras)).toMatchObject({
      deviceId: '34130200001320000001',
      priority: 1,
      method: 7,
      description: '门禁被强行打开：gate-east（东门），画面：cam-east 名',
    });
    expect(alarmFor(event('sos.call', 'sos-3', {}), gb.id, cameras)).toMatchObject({ deviceId: gb.id });
    expect(alarmFor(event('smoke.alarm', 'smoke-1', { active: false }), gb.id, cameras)).toBeNull();
    expect(alarmFor(event('meter.reading', 'm', {}, 'info'), gb.id, cameras)).toBeNull();
  });

  it('turns a camera going off line into a catalog change for subscribers', () => {
    expect(catalogChangesFor(event('device.offline', 'cam-lift', { reason: 'x' }), scene)).toMatchObject([
      { deviceId: '34130200001320000002', status: 'OFF', event: 'OFF' },
    ]);
    expect(catalogChangesFor(event('device.online', 'gate-east', {}), scene)).toEqual([]);
  });

  it('lists an NVR registered to the gateway as its channels, ON only while it is registered and the channel is', () => {
    const nvr = downward([ch(1), ch(2, 'OFF')]);
    const list = upChannels(
      [gbEntry('nvr-north')],
      () => null,
      () => nvr,
    );
    expect(list.map((c) => [c.gbId, c.name, c.civilCode, c.online, c.down?.channelId])).toEqual([
      ['34130200001320000101', '通道1', '341302', true, '34130200001320000101'],
      ['34130200001320000102', '通道2', '341302', false, '34130200001320000102'],
    ]);
    // Back on line: only the channels that are on are notified ON.
    const back = catalogChangesFor(event('device.online', 'nvr-north', {}), {
      gb,
      gatewayName: '韩池孜社区',
      channels: () => list,
    });
    expect(back.map((c) => [c.deviceId, c.event])).toEqual([['34130200001320000101', 'ON']]);
    const offline = upChannels(
      [gbEntry('nvr-north')],
      () => null,
      () => downward([ch(1)], false),
    );
    expect(offline[0]).toMatchObject({ online: false, lng: 117.02, lat: 33.65 });
  });

  it('shows a downward device under its gbId as one channel (its first channel on line plays), or its own code when it listed none', () => {
    const named = upChannels(
      [gbEntry('ipc-west', { gbId: '34130200001320000009', gbName: '西门' })],
      () => null,
      () => downward([ch(1, 'OFF'), ch(2)]),
    );
    expect(named).toMatchObject([{ gbId: '34130200001320000009', name: '西门', online: true }]);
    expect(named[0]!.down?.channelId).toBe('34130200001320000102');
    const bare = upChannels(
      [gbEntry('ipc-x')],
      () => null,
      () => downward(null),
    );
    expect(bare).toMatchObject([{ gbId: NVR, name: 'ipc-x' }]);
    expect(bare[0]!.down?.channelId).toBe(NVR);
    // A code already used upward keeps its first owner.
    const clash = upChannels(
      [camera('cam', NVR, []), gbEntry('ipc-x')],
      () => true,
      () => downward(null),
    );
    expect(clash.map((c) => c.entry.id)).toEqual(['cam']);
  });

  it('forwards a downward alarm with its method and type under the upward code of the channel that raised it', () => {
    const entry = gbEntry('nvr-north');
    const list = upChannels(
      [entry],
      () => null,
      () => downward([ch(1), ch(2)]),
    );
    const a = forwardedAlarm(
      {
        deviceId: '34130200001320000102',
        priority: 3,
        method: 5,
        alarmType: 2,
        time: new Date(0),
        description: '运动目标检测',
      },
      entry,
      list,
    );
    expect(a).toMatchObject({
      deviceId: '34130200001320000102',
      method: 5,
      alarmType: 2,
      priority: 3,
      description: '通道2：运动目标检测',
      longitude: 117.02,
    });
    const unknownChannel = forwardedAlarm(
      { deviceId: NVR, priority: 2, method: 2, time: new Date(0), description: '' },
      entry,
      list,
    );
    expect(unknownChannel).toMatchObject({ deviceId: '34130200001320000101', description: '通道1：国标报警' });
  });
});
