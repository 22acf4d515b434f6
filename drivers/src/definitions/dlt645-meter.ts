import { inactivityWatch } from '../capabilities-care.js';
import { meterReading } from '../capabilities.js';
import type { Dlt645Definition } from '../definition.js';

/** A household or building electricity meter speaking DL/T 645-2007 (energy, voltages, currents, power). */
export const definition: Dlt645Definition = {
  type: 'dlt645-meter',
  title: { zh: '智能电能表（DL/T 645-2007）', en: 'Electricity meter (DL/T 645-2007)' },
  protocol: 'dlt645',
  points: [
    { name: 'energyTotal', dataId: 'energyTotal' },
    { name: 'voltageA', dataId: 'voltageA' },
    { name: 'currentA', dataId: 'currentA' },
    { name: 'powerTotal', dataId: 'powerTotal' },
  ],
  rules: [
    meterReading('electricity', ['energyTotal', 'voltageA', 'currentA', 'powerTotal'], ['energyTotal']),
    inactivityWatch('energyTotal', 'electricity'),
  ],
};
