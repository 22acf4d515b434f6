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
  initial: () => ({ smoke: 0, gas: 0, tilt: 0, sosButton: 0, siren: 0, clock: 0 }),
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

/**
 * An 18-storey residential lift: waits at a floor with the door open, travels
 * one floor every 2 s to a random destination, and now and then stops between
 * floors with people inside (困人): trapped, door closed, fault 0x0031 (stopped
 * outside the door zone) until rescued two minutes later.
 */
const FLOORS = 18;
const ENTRAPMENT_PER_TRIP = 1 / 150;
const RESCUE_MS = 120_000;
const elevator: SimModel = {
  initial: () => ({
    floor: 1,
    direction: 0,
    door: 1,
    running: 0,
    faultCode: 0,
    trapped: 0,
    serviceMode: 0,
    occupied: 0,
    target: 1,
    timer: 0,
  }),
  tick(v, dtMs, rnd) {
    v.timer = v.timer! - dtMs;
    if (v.trapped) {
      if (v.timer! <= 0) Object.assign(v, { trapped: 0, faultCode: 0, door: 1, occupied: 0, timer: 10_000 });
      return;
    }
    if (v.timer! > 0) return;
    if (v.floor === v.target) {
      if (v.running) {
        Object.assign(v, { running: 0, direction: 0, door: 1, occupied: 0, timer: 8_000 });
        return;
      }
      // Door closes, a new call comes in.
      v.target = 1 + Math.floor(rnd() * FLOORS);
      if (v.target === v.floor) return void (v.timer = 5_000);
      Object.assign(v, {
        door: 0,
        running: 1,
        occupied: rnd() < 0.7 ? 1 : 0,
        direction: v.target! > v.floor! ? 1 : 2,
        timer: 2_000,
      });
      if (v.occupied && rnd() < ENTRAPMENT_PER_TRIP * 2)
        Object.assign(v, { trapped: 1, running: 0, direction: 0, faultCode: 0x31, timer: RESCUE_MS });
      return;
    }
    v.floor = v.floor! + (v.target! > v.floor! ? 1 : -1);
    v.timer = 2_000;
  },
};

export const simModels: Record<string, SimModel> = {
  'energy-meter-3p': energyMeter,
  'di-safety-sensor': safetySensor,
  'elevator-monitor': elevator,
};
