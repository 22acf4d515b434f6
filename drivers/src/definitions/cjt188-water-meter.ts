import { inactivityWatch } from '../capabilities-care.js';
import { meterReading } from '../capabilities.js';
import type { Cjt188Definition } from '../definition.js';

/**
 * A household cold-water meter speaking CJ/T 188-2004: cumulative flow, valve
 * and battery. With `inactivityHours` set (a lone elder's home) it raises
 * `meter.inactive` when no water is used for that long.
 */
export const definition: Cjt188Definition = {
  type: 'cjt188-water-meter',
  title: { zh: '智能水表（CJ/T 188）', en: 'Water meter (CJ/T 188)' },
  protocol: 'cjt188',
  meterType: 0x10,
  points: [
    { name: 'cumulativeFlow', unit: 'm3' },
    { name: 'settlementFlow', unit: 'm3' },
    { name: 'valveClosed' },
    { name: 'batteryLow' },
  ],
  rules: [
    meterReading('water', ['cumulativeFlow', 'valveClosed', 'batteryLow'], ['cumulativeFlow']),
    inactivityWatch('cumulativeFlow', 'water'),
  ],
};
