import type { DeviceDefinition } from '../definition.js';

/**
 * The index of shipped device types. Each entry loads its definition lazily,
 * so the gateway pays only for the types its config names. Adding a type:
 * one file in this folder and one line here.
 */
export const builtinDefinitions: Record<string, () => Promise<DeviceDefinition>> = {
  'energy-meter-3p': async () => (await import('./energy-meter-3p.js')).definition,
  'di-safety-sensor': async () => (await import('./di-safety-sensor.js')).definition,
  'elevator-monitor': async () => (await import('./elevator-monitor.js')).definition,
  'dlt645-meter': async () => (await import('./dlt645-meter.js')).definition,
  'cjt188-water-meter': async () => (await import('./cjt188-water-meter.js')).definition,
};
