import type { LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import type { DeviceEntry, Gb28181Config } from '../../src/config/schema.js';
import { alarmFor } from '../../src/gb28181/gb-alarms.js';
import { answerQuery, catalogChangeFor, type GbScene } from '../../src/gb28181/gb-answers.js';

const location = { lng: 117.02, lat: 33.65, gridId: '341302001001001' };
const camera = (id: string, gbId: string, covers: string[]): DeviceEntry =>
  ({ id, type: 'onvif-camera', gbId, gbName: `${id} 名`, covers, location }) as unknown as DeviceEntry;
const gb = {
  id: '34130200002000000001',
  charset: 'UTF-8',
  catalogPageSize: 1,
} as unknown as Gb28181Config;
const scene: GbScene = {
  gb,
  gatewayName: '韩池孜社区',
  cameras: [camera('cam-east', '34130200001320000001', ['gate-east']), camera('cam-lift', '34130200001320000002', [])],
  online: (id) => id === 'cam-east',
};

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
    expect(alarmFor(event('gate.forced', 'gate-east', { door: '东门' }), gb.id, scene.cameras)).toMatchObject({
      deviceId: '34130200001320000001',
      priority: 1,
      method: 7,
      description: '门禁被强行打开：gate-east（东门），画面：cam-east 名',
    });
    expect(alarmFor(event('sos.call', 'sos-3', {}), gb.id, scene.cameras)).toMatchObject({ deviceId: gb.id });
    expect(alarmFor(event('smoke.alarm', 'smoke-1', { active: false }), gb.id, scene.cameras)).toBeNull();
    expect(alarmFor(event('meter.reading', 'm', {}, 'info'), gb.id, scene.cameras)).toBeNull();
  });

  it('turns a camera going off line into a catalog change for subscribers', () => {
    expect(catalogChangeFor(event('device.offline', 'cam-lift', { reason: 'x' }), scene)).toMatchObject({
      deviceId: '34130200001320000002',
      status: 'OFF',
      event: 'OFF',
    });
    expect(catalogChangeFor(event('device.online', 'gate-east', {}), scene)).toBeNull();
  });
});
