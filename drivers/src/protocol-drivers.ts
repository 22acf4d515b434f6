import { CallBoxDevice } from './callbox/callbox-device.js';
import { OnvifCamera } from './camera/onvif-camera.js';
import { GateDevice } from './gate/gate-device.js';
import { GbDevice } from './gb28181/devices/gb-device.js';
import { Cjt188Device } from './meters/cjt188-device.js';
import { Dlt645Device } from './meters/dlt645-device.js';
import { ModbusDevice } from './modbus/modbus-device.js';
import { ProtocolRegistry } from './protocol-registry.js';
import type { ModbusTransport, OnvifTransport } from './transport.js';

/** Every protocol the gateway runs: adding one is a folder with its runtime and one line here. */
export const PROTOCOL_DRIVERS = new ProtocolRegistry()
  .register({
    protocol: 'modbus',
    transports: ['modbus-tcp', 'modbus-rtu', 'modbus-rtu-tcp'],
    runsRules: true,
    create: (def, cfg, ctx) => new ModbusDevice(def, { ...cfg, transport: cfg.transport as ModbusTransport }, ctx),
  })
  .register({
    protocol: 'dlt645',
    transports: ['dlt645'],
    runsRules: true,
    create: (def, cfg, ctx) => new Dlt645Device(def, cfg, ctx),
  })
  .register({
    protocol: 'cjt188',
    transports: ['cjt188'],
    runsRules: true,
    create: (def, cfg, ctx) => new Cjt188Device(def, cfg, ctx),
  })
  .register({
    protocol: 'isapi',
    transports: ['isapi'],
    runsRules: false,
    create: (def, cfg, ctx) => new GateDevice(def, cfg, ctx),
  })
  .register({
    protocol: 'onvif',
    transports: ['onvif'],
    runsRules: false,
    create: (def, cfg, ctx) => new OnvifCamera(def, { ...cfg, transport: cfg.transport as OnvifTransport }, ctx),
  })
  .register({
    protocol: 'callbox',
    transports: ['callbox'],
    runsRules: true,
    create: (d, c, x) => new CallBoxDevice(d, c, x),
  })
  .register({
    protocol: 'gb28181',
    transports: ['gb28181'],
    runsRules: false,
    create: (d, c, x) => new GbDevice(d, c, x),
  });
