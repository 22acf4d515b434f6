/**
 * Behaviour of simulated devices: how their data points move over time.
 * Keyed by device type so a simulator always matches the shipped definition.
 */
export type SimValues = Record<string, number>;
export interface SimModel {
  initial(rnd: () => number): SimValues;
  /** Advances the device by dtMs of simulated time. */
  tick(v: SimValues, dtMs: number, rnd: () => number): void;
}

const energyMeter: SimModel = {
  initial: (rnd) => ({
    voltageA: 220,
    voltageB: 221,
    voltageC: 219,
    currentA: 8 + rnd() * 6,
    currentB: 8 + rnd() * 6,
    currentC: 8 + rnd() * 6,
    energyTotal: 10_000 + Math.round(rnd() * 50_000),
  }),
  tick(v, dtMs, rnd) {
    for (const ph of ['A', 'B', 'C'] as const) {
      v[`voltage${ph}`] = 220 + (rnd() - 0.5) * 6;
      v[`current${ph}`] = Math.min(60, Math.max(0.5, v[`current${ph}`]! + (rnd() - 0.5) * 2));
    }
    const kw = ((v.voltageA! * v.currentA! + v.voltageB! * v.currentB! + v.voltageC! * v.currentC!) * 0.95) / 1000;
    v.energyTotal = v.energyTotal! + (kw * dtMs) / 3_600_000;
  },
};

/** Each second an idle sensor module starts an alarm with this probability (≈ one every 4 min). */
const ALARM_PER_SECOND = 1 / 240;
const ALARM_MS = 8_000;
const safetySensor: SimModel & { until: WeakMap<SimValues, number> } = {
  until: new WeakMap(),
  initial: () => ({ smoke: 0, gas: 0, tilt: 0, sosButton: 0, clock: 0 }),
  tick(v, dtMs, rnd) {
    v.clock = v.clock! + dtMs;
    const active = ['smoke', 'gas', 'tilt', 'sosButton'].find((p) => v[p] === 1);
    if (active) {
      if (v.clock! >= (this.until.get(v) ?? 0)) v[active] = 0;
      return;
    }
    if (rnd() < 1 - (1 - ALARM_PER_SECOND) ** (dtMs / 1000)) {
      const pick = rnd();
      const point = pick < 0.4 ? 'sosButton' : pick < 0.7 ? 'smoke' : pick < 0.9 ? 'gas' : 'tilt';
      v[point] = 1;
      this.until.set(v, v.clock! + ALARM_MS);
    }
  },
};

export const simModels: Record<string, SimModel> = {
  'energy-meter-3p': energyMeter,
  'di-safety-sensor': safetySensor,
};
