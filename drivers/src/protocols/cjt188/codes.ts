/**
 * Code tables of CJ/T 188-2004 (§5 frame format; tables of meter types, control
 * codes, data identifiers and unit codes), kept apart so frame.ts and
 * messages.ts stay about bytes and meaning respectively.
 */

/** Meter type T (the byte after 0x68). 0xAA addresses every type. */
export const MeterType = {
  coldWater: 0x10,
  domesticHotWater: 0x11,
  drinkingWater: 0x12,
  reclaimedWater: 0x13,
  heat: 0x20,
  cooling: 0x21,
  gas: 0x30,
  electricity: 0x40,
  any: 0xaa,
} as const;

/** True for the water (0x10–0x19) and gas (0x30–0x39) families, which share the 0x901F metering layout. */
export function isVolumeMeterType(t: number): boolean {
  return (t >= 0x10 && t <= 0x19) || (t >= 0x30 && t <= 0x39);
}

/** Function codes, control bits D5–D0. */
export const FunctionCode = {
  readData: 0x01,
  readAddress: 0x03,
  writeData: 0x04,
  writeAddress: 0x15,
  writeMotorSync: 0x16,
} as const;

/** Control bit D7: set on every frame a meter sends. */
export const CONTROL_REPLY = 0x80;
/** Control bit D6: set when the meter could not do what was asked. */
export const CONTROL_ABNORMAL = 0x40;
/** Control bits D5–D0. */
export const CONTROL_FUNCTION_MASK = 0x3f;

/**
 * Data identifiers as the two bytes on the wire, in the order sent.
 * Field devices disagree on that order (both "1F 90" and "90 1F" are seen
 * for 0x901F), so we send the order below and accept either (see `isDi`).
 */
export const Di = {
  /** 0x901F 计量数据: current and settlement-day cumulative flow, clock, status. */
  metering: [0x1f, 0x90],
  /** 0x810A 读地址: read the address of the one meter on the bus. */
  readAddress: [0x81, 0x0a],
} as const satisfies Record<string, readonly [number, number]>;

/** Whether two wire bytes carry the identifier `di`, in either byte order. */
export function isDi(b0: number | undefined, b1: number | undefined, di: readonly [number, number]): boolean {
  return (b0 === di[0] && b1 === di[1]) || (b0 === di[1] && b1 === di[0]);
}

/** Unit codes (单位代号) that follow a quantity; only the base units, not their ×10/×100 variants. */
export const UNIT_CODES: Readonly<Record<number, string>> = {
  0x01: 'J',
  0x02: 'Wh',
  0x05: 'kWh',
  0x08: 'MWh',
  0x0b: 'kJ',
  0x0e: 'MJ',
  0x11: 'GJ',
  0x14: 'W',
  0x17: 'kW',
  0x1a: 'MW',
  0x29: 'L',
  0x2c: 'm³',
  0x32: 'L/h',
  0x35: 'm³/h',
};

/** Unit code for cubic metres, the only volume unit the water/gas parser accepts. */
export const UNIT_M3 = 0x2c;
