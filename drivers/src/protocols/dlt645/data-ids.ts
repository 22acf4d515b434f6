import { type BcdResult, decodeBcd, decodeSignedBcd, encodeBcd, encodeSignedBcd } from './bcd.js';

/**
 * The data identifiers this driver reads (DL/T 645-2007 appendix A). `di` is
 * written DI3 DI2 DI1 DI0 as in the standard's tables; the wire carries DI0
 * first, i.e. the 32-bit value little-endian.
 */

/** One data identifier and how its value is stored. */
export interface DataIdSpec {
  di: number;
  /** Value bytes after the 4-byte DI in a read reply. */
  length: number;
  /** Implied decimal places of the BCD integer. */
  decimals: number;
  unit: string;
  /** Top bit of the most significant byte is the sign (1 = negative). */
  signed: boolean;
}

/** Supported data identifiers, by name. */
export const DATA_IDS = {
  // Combined active energy may be negative (forward minus reverse, per the
  // meter's combination word), so the standard gives it a sign bit.
  energyTotal: { di: 0x00000000, length: 4, decimals: 2, unit: 'kWh', signed: true },
  energyForward: { di: 0x00010000, length: 4, decimals: 2, unit: 'kWh', signed: false },
  voltageA: { di: 0x02010100, length: 2, decimals: 1, unit: 'V', signed: false },
  voltageB: { di: 0x02010200, length: 2, decimals: 1, unit: 'V', signed: false },
  voltageC: { di: 0x02010300, length: 2, decimals: 1, unit: 'V', signed: false },
  currentA: { di: 0x02020100, length: 3, decimals: 3, unit: 'A', signed: true },
  currentB: { di: 0x02020200, length: 3, decimals: 3, unit: 'A', signed: true },
  currentC: { di: 0x02020300, length: 3, decimals: 3, unit: 'A', signed: true },
  powerTotal: { di: 0x02030000, length: 3, decimals: 4, unit: 'kW', signed: true },
} as const satisfies Record<string, DataIdSpec>;

/** Name of a supported data identifier. */
export type DataIdName = keyof typeof DATA_IDS;

/** Bytes of a DI in a request or reply. */
export const DI_BYTES = 4;

/** The name registered for a DI, or undefined for one this driver does not know. */
export function dataIdName(di: number): DataIdName | undefined {
  return (Object.keys(DATA_IDS) as DataIdName[]).find((name) => DATA_IDS[name].di === di);
}

/** DI → its 4 wire bytes before the 0x33 offset (DI0 first). */
export function encodeDi(di: number): Buffer {
  const out = Buffer.alloc(DI_BYTES);
  out.writeUInt32LE(di >>> 0);
  return out;
}

/** Engineering value → value bytes (before the 0x33 offset); out-of-range or non-finite values fail. */
export function encodeValue(name: DataIdName, value: number): BcdResult<Buffer> {
  const spec: DataIdSpec = DATA_IDS[name];
  const scaled = Math.round(value * 10 ** spec.decimals);
  return spec.signed ? encodeSignedBcd(scaled, spec.length) : encodeBcd(scaled, spec.length);
}

/** Value bytes (after the DI, 0x33 removed) → engineering value. */
export function decodeValue(name: DataIdName, bytes: Uint8Array): BcdResult<number> {
  const spec: DataIdSpec = DATA_IDS[name];
  const raw = spec.signed ? decodeSignedBcd(bytes) : decodeBcd(bytes);
  if (!raw.ok) return raw;
  // Divide rather than multiply by 10^-n: 12345 / 100 is exactly 123.45, 12345 * 0.01 is not.
  return { ok: true, value: raw.value / 10 ** spec.decimals };
}
