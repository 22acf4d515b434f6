import { decodeBcd } from './bcd.js';
import { Di, FunctionCode, isDi, isVolumeMeterType, MeterType, UNIT_CODES, UNIT_M3 } from './codes.js';
import { type Cjt188Frame, encodeFrame } from './frame.js';

/** FE bytes sent before each frame: battery meters sleep between reads, and 3 FE is a common wake-up. */
export const WAKE_UP_PREAMBLE = 3;
/** Every byte 0xAA: the address every meter answers to. */
export const WILDCARD_ADDRESS = 'AAAAAAAAAAAAAA';
/** DATA length of a 0x901F water/gas reply: DI (2), SER, two flows with units (5 + 5), clock (7), status (2). */
export const METERING_REPLY_BYTES = 22;

/** Valve state from status bits ST0 D1–D0. */
export type ValveState = 'open' | 'closed' | 'abnormal';

/** The 0x901F metering data of a water or gas meter. */
export interface MeteringReading {
  /** Current cumulative volume, m³ (XXXXXX.XX). */
  cumulativeFlow: number;
  flowUnit: 'm³';
  /** Cumulative volume on the last settlement day, m³. */
  settlementFlow: number;
  /** The meter's clock as local wall time "YYYY-MM-DDTHH:mm:ss"; the frame carries no time zone, so none is invented. */
  meterTime: string;
  valve: ValveState;
  batteryLow: boolean;
  /** Serial number echoed from the request. */
  ser: number;
}

/** Why a reply frame could not be read. */
export type ReplyError =
  | { kind: 'unexpected-frame'; control: number }
  /** The meter set D6; vendors disagree on its DATA (SER + status, or DI + SER + status), so it is passed on raw. */
  | { kind: 'abnormal-reply'; ser: number | null; data: number[] }
  | { kind: 'unsupported-meter-type'; meterType: number }
  | { kind: 'wrong-di'; di: [number, number] }
  | { kind: 'short-data'; length: number; need: number }
  | { kind: 'bad-bcd'; field: string; byte: number }
  | { kind: 'unknown-unit'; field: string; code: number; unit: string | null }
  | { kind: 'bad-time'; field: string };

/** A parsed reply or why not. */
export type ReplyResult<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** The address a meter gave in answer to readAddressRequest. */
export interface AddressReply {
  meterType: number;
  address: string;
  ser: number;
}

/** Read data 0x901F (metering data) from one meter. */
export function readMeteringRequest(meterType: number, address: string, ser: number): Buffer {
  checkSer(ser);
  const data = [...Di.metering, ser];
  return encodeFrame({ meterType, address, control: FunctionCode.readData, data }, { preamble: WAKE_UP_PREAMBLE });
}

/** Read address 0x810A from whichever single meter is on the bus (any type, wildcard address). */
export function readAddressRequest(ser: number): Buffer {
  checkSer(ser);
  const frame = { meterType: MeterType.any, address: WILDCARD_ADDRESS, control: FunctionCode.readAddress };
  return encodeFrame({ ...frame, data: [...Di.readAddress, ser] }, { preamble: WAKE_UP_PREAMBLE });
}

/** Reads a water/gas meter's 0x901F reply. */
export function parseMeteringReply(frame: Cjt188Frame): ReplyResult<MeteringReading> {
  const pre = checkReply(frame, FunctionCode.readData);
  if (pre) return fail(pre);
  if (!isVolumeMeterType(frame.meterType)) return fail({ kind: 'unsupported-meter-type', meterType: frame.meterType });
  const d = frame.data;
  if (d.length < METERING_REPLY_BYTES)
    return fail({ kind: 'short-data', length: d.length, need: METERING_REPLY_BYTES });
  if (!isDi(d[0], d[1], Di.metering)) return fail({ kind: 'wrong-di', di: [d[0]!, d[1]!] });

  const cumulative = volume(d, 3, 'cumulativeFlow');
  if (!cumulative.ok) return cumulative;
  const settlement = volume(d, 8, 'settlementFlow');
  if (!settlement.ok) return settlement;
  const meterTime = clock(d.subarray(13, 20));
  if (!meterTime.ok) return meterTime;
  const st0 = d[20]!;
  return {
    ok: true,
    value: {
      cumulativeFlow: cumulative.value,
      flowUnit: 'm³',
      settlementFlow: settlement.value,
      meterTime: meterTime.value,
      valve: valveState(st0),
      batteryLow: (st0 & 0x04) !== 0,
      ser: d[2]!,
    },
  };
}

/** Reads the reply to readAddressRequest; the address is the one in the reply's header. */
export function parseAddressReply(frame: Cjt188Frame): ReplyResult<AddressReply> {
  const pre = checkReply(frame, FunctionCode.readAddress);
  if (pre) return fail(pre);
  const d = frame.data;
  if (d.length < 3) return fail({ kind: 'short-data', length: d.length, need: 3 });
  if (!isDi(d[0], d[1], Di.readAddress)) return fail({ kind: 'wrong-di', di: [d[0]!, d[1]!] });
  return { ok: true, value: { meterType: frame.meterType, address: frame.address, ser: d[2]! } };
}

/** ST0 D1–D0: 00 open, 01 closed, 11 abnormal; 10 is undefined and reported as abnormal rather than guessed. */
export function valveState(st0: number): ValveState {
  const bits = st0 & 0x03;
  return bits === 0 ? 'open' : bits === 1 ? 'closed' : 'abnormal';
}

/** SER is one byte; Buffer.from would silently wrap a larger number, so a caller bug throws here instead. */
function checkSer(ser: number): void {
  if (!Number.isInteger(ser) || ser < 0 || ser > 0xff) throw new RangeError(`SER must be a byte, got ${ser}`);
}

function checkReply(frame: Cjt188Frame, fn: number): ReplyError | null {
  const { control, data } = frame;
  if (control.direction !== 'slave-to-master' || control.function !== fn) {
    return { kind: 'unexpected-frame', control: control.raw };
  }
  // Vendors put either SER or DI+SER first in an abnormal reply; SER is only certain when the DI is there too.
  if (control.abnormal) return { kind: 'abnormal-reply', ser: abnormalSer(data), data: [...data] };
  return null;
}

function abnormalSer(data: Buffer): number | null {
  if (data.length >= 3 && (isDi(data[0], data[1], Di.metering) || isDi(data[0], data[1], Di.readAddress))) {
    return data[2]!;
  }
  return data.length >= 1 ? data[0]! : null;
}

/** 4 BCD bytes XXXXXX.XX then a unit code, which must be m³. */
function volume(d: Buffer, at: number, field: string): ReplyResult<number> {
  const n = decodeBcd(d.subarray(at, at + 4));
  if (!n.ok) return fail({ kind: 'bad-bcd', field, byte: n.error.byte });
  const code = d[at + 4]!;
  if (code !== UNIT_M3) return fail({ kind: 'unknown-unit', field, code, unit: UNIT_CODES[code] ?? null });
  return { ok: true, value: n.value / 100 };
}

/** 7 BCD bytes ss mm hh DD MM YY(low) YY(high) → "YYYY-MM-DDTHH:mm:ss". */
function clock(b: Buffer): ReplyResult<string> {
  const parts: number[] = [];
  for (const byte of b) {
    const n = decodeBcd(Uint8Array.of(byte));
    if (!n.ok) return fail({ kind: 'bad-bcd', field: 'meterTime', byte });
    parts.push(n.value);
  }
  const [ss = 0, mm = 0, hh = 0, day = 0, month = 0, yLow = 0, yHigh = 0] = parts;
  const year = yHigh * 100 + yLow;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hh > 23 || mm > 59 || ss > 59) {
    return fail({ kind: 'bad-time', field: 'meterTime' });
  }
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return { ok: true, value: `${p(year, 4)}-${p(month)}-${p(day)}T${p(hh)}:${p(mm)}:${p(ss)}` };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function fail(error: ReplyError): { ok: false; error: ReplyError } {
  return { ok: false, error };
}
