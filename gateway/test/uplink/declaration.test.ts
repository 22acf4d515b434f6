import { describe, expect, it } from 'vitest';
import { declaredDevices, helloMessage } from '../../src/uplink/declaration.js';
import type { DeviceEntry } from '../../src/config/schema.js';

describe('the device declaration a gateway sends in hello', () => {
  it('lists every configured device by id, type and grid, and the sequence it was made at', () => {
    const entries = [
      { id: 'gate-01', type: 'gate-controller', location: { lng: 117, lat: 33.6, gridId: '341302001001001' } },
      { id: 'wm-01', type: 'water-meter-cjt188', location: { lng: 117, lat: 33.6, gridId: '341302001001002' } },
    ] as DeviceEntry[];
    const devices = declaredDevices(entries);
    expect(devices).toEqual([
      { id: 'gate-01', type: 'gate-controller', gridId: '341302001001001' },
      { id: 'wm-01', type: 'water-meter-cjt188', gridId: '341302001001002' },
    ]);
    expect(helloMessage(devices, 17)).toEqual({ devices, lastSeq: 17 });
    // No declaration (a tool speaking the protocol without a config): the hub keeps its list.
    expect(helloMessage(undefined, 17)).toEqual({});
  });
});
