import { describe, expect, it } from 'vitest';
import { builtinRegistry, DefinitionRegistry } from '../src/registry.js';
import { validateDefinition } from '../src/validate-definition.js';

describe('definition registry', () => {
  it('loads every shipped type and each passes validation', async () => {
    const r = builtinRegistry();
    expect(r.types()).toEqual([
      'callbox-button',
      'cjt188-water-meter',
      'di-safety-sensor',
      'dlt645-meter',
      'elevator-monitor',
      'energy-meter-3p',
      'gb28181-camera',
      'isapi-door-terminal',
      'isapi-vehicle-barrier',
      'onvif-camera',
    ]);
    for (const t of r.types()) expect((await r.get(t)).type).toBe(t);
  });

  it('refuses a type registered twice', () => {
    const r = new DefinitionRegistry();
    r.register('x', async () => ({
      type: 'x',
      title: { zh: 'x', en: 'x' },
      protocol: 'modbus',
      points: [],
      rules: [],
    }));
    expect(() =>
      r.register('x', async () => ({
        type: 'x',
        title: { zh: 'x', en: 'x' },
        protocol: 'modbus',
        points: [],
        rules: [],
      })),
    ).toThrow(/registered twice/);
  });

  it('names the known types when asked for an unknown one', async () => {
    await expect(builtinRegistry().get('toaster')).rejects.toThrow(
      /unknown device type "toaster"; known types: callbox-button, cjt188-water-meter, di-safety-sensor, dlt645-meter, elevator-monitor, energy-meter-3p, gb28181-camera/,
    );
  });

  it('reports every problem of a bad definition at once', () => {
    expect(() =>
      validateDefinition({
        type: 'Bad Type',
        title: { zh: '坏', en: 'bad' },
        protocol: 'modbus',
        points: [
          { name: 'a', table: 'coil', address: 0, format: 'uint16' },
          { name: 'a', table: 'holding', address: 65535, format: 'float32' },
        ],
        rules: [],
      }),
    ).toThrow(/type "Bad Type".*declared twice.*coil needs format bool.*address 65535 outside/);
  });

  it('refuses polled rules on a protocol that pushes its events (they would never run)', () => {
    expect(() =>
      validateDefinition({
        type: 'door-with-rules',
        title: { zh: '门', en: 'door' },
        protocol: 'isapi',
        role: 'door',
        rules: [() => []],
      }),
    ).toThrow(/declares 1 polled rule\(s\), but isapi devices push events and run no rules/);
  });

  it('refuses a protocol no driver runs', () => {
    expect(() =>
      validateDefinition({
        type: 'x-thing',
        title: { zh: 'x', en: 'x' },
        protocol: 'zigbee',
        points: [{ name: 'a' }],
        rules: [],
      } as never),
    ).toThrow(/no driver runs protocol "zigbee"/);
  });
});
