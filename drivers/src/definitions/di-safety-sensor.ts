import { activeAlarm, sosOnPress } from '../capabilities.js';
import type { ModbusDefinition } from '../definition.js';

/**
 * A digital-input module wired to a building's safety sensors: smoke, gas leak,
 * tilt switch and a one-key call button, on discrete inputs 0–3, and a relay
 * output (coil 0) for a local siren.
 */
export const definition: ModbusDefinition = {
  type: 'di-safety-sensor',
  title: { zh: '安全传感器（开关量）', en: 'Safety sensors (digital inputs)' },
  protocol: 'modbus',
  points: [
    { name: 'smoke', table: 'discrete', address: 0, format: 'bool' },
    { name: 'gas', table: 'discrete', address: 1, format: 'bool' },
    { name: 'tilt', table: 'discrete', address: 2, format: 'bool' },
    { name: 'sosButton', table: 'discrete', address: 3, format: 'bool' },
    // The module's relay output drives the stairwell siren; local rules switch it on.
    { name: 'siren', table: 'coil', address: 0, format: 'bool' },
  ],
  rules: [
    activeAlarm('smoke', 'smoke.alarm'),
    activeAlarm('gas', 'gas.alarm'),
    activeAlarm('tilt', 'tilt.alarm'),
    sosOnPress('sosButton'),
  ],
};
