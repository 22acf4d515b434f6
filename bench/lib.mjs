// Shared helpers for benchmarks: one result format, stable sample events.

/** The median: the middle value, or the mean of the two middle ones (of two rounds, their mean, not the larger). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Prints one result line; `ratio` = value / limit (for rates, higher is better).
 * `goal`, when the project has promised one: `{ at_least: 0.6 }` or `{ at_most: 1 }`
 * on the ratio, so the report can say whether the promise holds.
 */
export function report(name, value, unit, limit, limitName, goal) {
  const round = (v) => Math.round(v * 1000) / 1000;
  console.log(
    JSON.stringify({
      name,
      value: round(value),
      unit,
      limit: round(limit),
      limit_name: limitName,
      ratio: round(value / limit),
      ...(goal ? { goal } : {}),
    }),
  );
}

/** A realistic meter reading draft, as a simulated three-phase meter produces it. */
export function meterDraft(i) {
  return {
    kind: 'meter.reading',
    deviceId: `meter-${String(i % 32).padStart(2, '0')}`,
    deviceTime: 1_790_000_000_000 + i,
    payload: {
      medium: 'electricity',
      values: {
        voltageA: 220.1,
        voltageB: 219.8,
        voltageC: 221.3,
        currentA: 8.2,
        currentB: 9.1,
        currentC: 7.7,
        energyTotal: 12345.6 + i,
      },
      units: {
        voltageA: 'V',
        voltageB: 'V',
        voltageC: 'V',
        currentA: 'A',
        currentB: 'A',
        currentC: 'A',
        energyTotal: 'kWh',
      },
    },
  };
}

export const LOCATION = { lng: 117.012, lat: 33.662, gridId: '341302001001001' };

/**
 * A gateway's device declaration for `hello` (the hub accepts events only from
 * declared devices in the gateway's area): `ids` spread over `gridIds`.
 */
export function benchDevices(ids, gridIds) {
  return ids.map((id, i) => ({ id, type: 'bench-device', gridId: gridIds[i % gridIds.length] }));
}

/** The 32 meters `meterDraft` reports from. */
export const METER_IDS = Array.from({ length: 32 }, (_, i) => `meter-${String(i).padStart(2, '0')}`);
