import { describe, expect, it } from 'vitest';
import { PROTOCOL_DRIVERS } from '../src/protocol-drivers.js';
import { ProtocolRegistry } from '../src/protocol-registry.js';

describe('protocol registry', () => {
  it('has one driver per protocol, with the transports each takes', () => {
    expect(PROTOCOL_DRIVERS.protocols().sort()).toEqual([
      'callbox',
      'cjt188',
      'dlt645',
      'gb28181',
      'isapi',
      'modbus',
      'onvif',
    ]);
    expect(PROTOCOL_DRIVERS.get('modbus').transports).toEqual(['modbus-tcp', 'modbus-rtu', 'modbus-rtu-tcp']);
    expect(PROTOCOL_DRIVERS.get('onvif').runsRules).toBe(false);
  });

  it('throws when a protocol is registered twice', () => {
    const driver = {
      protocol: 'isapi' as const,
      transports: ['isapi' as const],
      runsRules: false,
      create: () => ({}) as never,
    };
    const r = new ProtocolRegistry().register(driver);
    expect(() => r.register(driver)).toThrow(/protocol isapi is registered twice/);
  });
});
