import { inactivityWatch } from '../capabilities-care.js';
import { meterReading } from '../capabilities.js';
import type { ModbusDefinition } from '../definition.js';

/**
 * A three-phase energy meter on Modbus: float32 input registers, the layout of
 * the common DIN-rail meters (phase voltages at 0, currents at 6, total active
 * energy at 0x0156).
 */
export const definition: ModbusDefinition = {
  type: 'energy-meter-3p',
  title: { zh: '三相电能表', en: 'Three-phase energy meter' },
  protocol: 'modbus',
  points: [
    { name: 'voltageA', table: 'input', address: 0x0000, format: 'float32', unit: 'V' },
    { name: 'voltageB', table: 'input', address: 0x0002, format: 'float32', unit: 'V' },
    { name: 'voltageC', table: 'input', address: 0x0004, format: 'float32', unit: 'V' },
    { name: 'currentA', table: 'input', address: 0x0006, format: 'float32', unit: 'A' },
    { name: 'currentB', table: 'input', address: 0x0008, format: 'float32', unit: 'A' },
    { name: 'currentC', table: 'input', address: 0x000a, format: 'float32', unit: 'A' },
    { name: 'energyTotal', table: 'input', address: 0x0156, format: 'float32', unit: 'kWh' },
  ],
  rules: [
    meterReading(
      'electricity',
      ['voltageA', 'voltageB', 'voltageC', 'currentA', 'currentB', 'currentC', 'energyTotal'],
      ['energyTotal'],
    ),
    inactivityWatch('energyTotal', 'electricity'),
  ],
};
