import type { DeviceDefinition } from '../definition.js';

type Entry = { protocol: DeviceDefinition['protocol']; load: () => Promise<DeviceDefinition> };

/**
 * The index of shipped device types. Each entry loads its definition lazily,
 * so the gateway pays only for the types its config names; the protocol is
 * here too so a config can be checked (type vs transport) without loading.
 * Adding a type: one file in this folder and one line here.
 */
export const builtinDefinitions: Record<string, Entry> = {
  'energy-meter-3p': { protocol: 'modbus', load: async () => (await import('./energy-meter-3p.js')).definition },
  'di-safety-sensor': { protocol: 'modbus', load: async () => (await import('./di-safety-sensor.js')).definition },
  'elevator-monitor': { protocol: 'modbus', load: async () => (await import('./elevator-monitor.js')).definition },
  'dlt645-meter': { protocol: 'dlt645', load: async () => (await import('./dlt645-meter.js')).definition },
  'cjt188-water-meter': { protocol: 'cjt188', load: async () => (await import('./cjt188-water-meter.js')).definition },
  'isapi-door-terminal': { protocol: 'isapi', load: async () => (await import('./isapi-door-terminal.js')).definition },
  'isapi-vehicle-barrier': {
    protocol: 'isapi',
    load: async () => (await import('./isapi-vehicle-barrier.js')).definition,
  },
  'onvif-camera': { protocol: 'onvif', load: async () => (await import('./onvif-camera.js')).definition },
  'gb28181-camera': { protocol: 'gb28181', load: async () => (await import('./gb28181-camera.js')).definition },
  'callbox-button': { protocol: 'callbox', load: async () => (await import('./callbox-button.js')).definition },
};
