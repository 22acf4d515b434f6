import type { LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { GatewayAuthority } from '../../src/sockets/gateway-authority.js';

const AREA = '341302001001'; // 沱河街道 韩池孜社区
const OWN_GRID = '341302001001002';
const FOREIGN_GRID = '341302002001001'; // 东关街道
const ev = (over: Partial<LinliEvent> & { gridId?: string }): LinliEvent =>
  ({
    v: 1,
    id: '01JD0000000000000000000000',
    gatewayId: 'gw-a',
    seq: 10,
    deviceTime: 0,
    receivedAt: 0,
    deviceId: 'gate-01',
    kind: 'gate.forced',
    severity: 'critical',
    location: { lng: 117, lat: 33.6, gridId: over.gridId ?? OWN_GRID },
    payload: { door: '东门' },
    ...over,
  }) as LinliEvent;

const authority = (areaCode: string | null = AREA, declared = true) =>
  new GatewayAuthority('gw-a', areaCode, declared, [
    { id: 'gate-01', type: 'gate', gridId: OWN_GRID, retiredAfterSeq: null },
    { id: 'gate-old', type: 'gate', gridId: OWN_GRID, retiredAfterSeq: 10 },
  ]);

describe('GatewayAuthority: what one gateway may raise', () => {
  it('accepts a declared device in its area and refuses a foreign grid before anything else', () => {
    const a = authority();
    expect(a.checkEvent(ev({}))).toBeNull();
    expect(a.checkEvent(ev({ gridId: FOREIGN_GRID }))).toMatchObject({ code: 'GRID_OUTSIDE_AREA', seq: 10 });
    expect(a.checkEvent(ev({ deviceId: 'gate-99', gridId: FOREIGN_GRID }))?.code).toBe('GRID_OUTSIDE_AREA');
  });

  it('refuses a matter (field.matter) from a gateway, even of a declared device: only phones report matters', () => {
    const a = authority();
    const matter = ev({ kind: 'field.matter', severity: 'warning', payload: { category: '其他', photos: 0 } } as never);
    expect(a.checkEvent(matter)).toMatchObject({ code: 'KIND_NOT_FROM_GATEWAY', seq: 10, deviceId: 'gate-01' });
  });

  it('refuses an undeclared device, and a retired one after the sequence it was retired at', () => {
    const a = authority();
    expect(a.checkEvent(ev({ deviceId: 'gate-99' }))).toMatchObject({ code: 'DEVICE_UNDECLARED', deviceId: 'gate-99' });
    expect(a.checkEvent(ev({ deviceId: 'gate-old', seq: 10 }))).toBeNull();
    expect(a.checkEvent(ev({ deviceId: 'gate-old', seq: 11 }))?.code).toBe('DEVICE_UNDECLARED');
    expect(a.hasCurrentDevice('gate-old')).toBe(false);
    expect(a.hasCurrentDevice('gate-01')).toBe(true);
  });

  it('lets the gateway’s own kinds through without a device, but only in its area and under its own name', () => {
    const a = authority();
    const overflow = { kind: 'gateway.buffer_full', deviceId: 'gateway' } as Partial<LinliEvent>;
    expect(a.checkEvent(ev(overflow))).toBeNull();
    expect(a.checkEvent(ev({ kind: 'rule.alert', deviceId: 'gw-a' } as Partial<LinliEvent>))).toBeNull();
    // Every gateway.* kind, including ones added after the list was written (the disk-full pair).
    for (const kind of ['gateway.disk_full', 'gateway.disk_ok'])
      expect(a.checkEvent(ev({ kind, deviceId: 'gateway' } as Partial<LinliEvent>)), kind).toBeNull();
    expect(a.checkEvent(ev({ ...overflow, gridId: FOREIGN_GRID }))?.code).toBe('GRID_OUTSIDE_AREA');
    // An alarm kind under the gateway's name is not a gateway-level event.
    expect(a.checkEvent(ev({ deviceId: 'gateway' }))?.code).toBe('DEVICE_UNDECLARED');
  });

  it('refuses declaring a device in a foreign grid', () => {
    const a = authority();
    expect(a.checkDeclared({ id: 'gate-02', type: 'gate', gridId: OWN_GRID })).toBeNull();
    expect(a.checkDeclared({ id: 'gate-03', type: 'gate', gridId: FOREIGN_GRID })).toMatchObject({
      deviceId: 'gate-03',
      code: 'DEVICE_OUTSIDE_AREA',
    });
  });

  it('lets a gateway without an area, or one that never declared, send nothing at all', () => {
    expect(authority(null).gatewayRefusal()?.code).toBe('GATEWAY_NO_AREA');
    expect(authority('not-a-code').gatewayRefusal()?.code).toBe('GATEWAY_NO_AREA');
    expect(authority(null).checkEvent(ev({}))?.code).toBe('GRID_OUTSIDE_AREA');
    expect(authority(AREA, false).gatewayRefusal()?.code).toBe('DEVICES_NOT_DECLARED');
    expect(authority().gatewayRefusal()).toBeNull();
  });

  it('knows when a declaration repeats the list on record (a reconnect writes nothing)', () => {
    const a = authority();
    expect(a.lists([{ id: 'gate-01', type: 'gate', gridId: OWN_GRID }])).toBe(true);
    expect(a.lists([{ id: 'gate-01', type: 'gate', gridId: FOREIGN_GRID }])).toBe(false);
    expect(a.lists([{ id: 'gate-old', type: 'gate', gridId: OWN_GRID }])).toBe(false);
    expect(a.lists([])).toBe(false);
  });
});
