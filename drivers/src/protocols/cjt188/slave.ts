import { encodeBcd } from './bcd.js';
import { CONTROL_REPLY, Di, FunctionCode, isDi, MeterType, UNIT_M3 } from './codes.js';
import { type Cjt188Frame, encodeFrame } from './frame.js';
import { WAKE_UP_PREAMBLE } from './messages.js';

/** The state a simulated water meter answers from. */
export interface SimulatedMeter {
  meterType: number;
  /** 14 digits, A6 first, as printed on the meter. */
  address: string;
  /** m³; kept to 2 decimals and rolled over past 999999.99 like the register (negative throws: a simulator bug). */
  cumulativeFlow: number;
  settlementFlow: number;
  valveClosed: boolean;
  batteryLow: boolean;
  now: Date;
}

/** Meter clocks in China run on Beijing time (UTC+8, no daylight saving); the frame itself carries no zone. */
const METER_UTC_OFFSET_MS = 8 * 3600_000;
const FLOW_REGISTER = 100_000_000; // 8 BCD digits of hundredths of a m³

/**
 * The meter's reply to one decoded request, or null when it should stay silent:
 * the frame is a reply, is for another meter or type, or asks for something
 * this simulator does not implement (many real meters also just stay silent).
 */
export function respond(frame: Cjt188Frame, meter: SimulatedMeter): Buffer | null {
  const { control, data } = frame;
  if (control.direction !== 'master-to-slave' || control.abnormal) return null;
  if (frame.meterType !== MeterType.any && frame.meterType !== meter.meterType) return null;
  if (!addressMatches(frame.address, meter.address)) return null;
  if (data.length < 3) return null;
  // Echo the DI bytes as received, so a master using either byte order recognises its answer.
  const head = [data[0]!, data[1]!, data[2]!];

  if (control.function === FunctionCode.readAddress && isDi(data[0], data[1], Di.readAddress)) {
    return reply(meter, FunctionCode.readAddress, Buffer.from(head));
  }
  if (control.function === FunctionCode.readData && isDi(data[0], data[1], Di.metering)) {
    return reply(meter, FunctionCode.readData, Buffer.concat([Buffer.from(head), meteringData(meter)]));
  }
  return null;
}

/** Whether a request address reaches a meter: byte by byte, equal or the wildcard 0xAA. */
export function addressMatches(requestAddress: string, meterAddress: string): boolean {
  const req = requestAddress.toUpperCase();
  const own = meterAddress.toUpperCase();
  if (req.length !== 14 || own.length !== 14) return false;
  for (let i = 0; i < 14; i += 2) {
    const pair = req.slice(i, i + 2);
    if (pair !== 'AA' && pair !== own.slice(i, i + 2)) return false;
  }
  return true;
}

function reply(meter: SimulatedMeter, fn: number, data: Buffer): Buffer {
  const frame = { meterType: meter.meterType, address: meter.address, control: CONTROL_REPLY | fn, data };
  return encodeFrame(frame, { preamble: WAKE_UP_PREAMBLE });
}

/** The 0x901F body after DI and SER: two flows with units, clock, status. */
function meteringData(meter: SimulatedMeter): Buffer {
  const st0 = (meter.valveClosed ? 0x01 : 0x00) | (meter.batteryLow ? 0x04 : 0x00);
  return Buffer.concat([
    flow(meter.cumulativeFlow),
    Buffer.from([UNIT_M3]),
    flow(meter.settlementFlow),
    Buffer.from([UNIT_M3]),
    clock(meter.now),
    Buffer.from([st0, 0x00]),
  ]);
}

function flow(m3: number): Buffer {
  return encodeBcd(Math.round(m3 * 100) % FLOW_REGISTER, 4);
}

/** ss mm hh DD MM YY(low) YY(high), each one BCD byte, in Beijing time. */
function clock(now: Date): Buffer {
  const t = new Date(now.getTime() + METER_UTC_OFFSET_MS);
  const year = t.getUTCFullYear();
  const fields = [t.getUTCSeconds(), t.getUTCMinutes(), t.getUTCHours(), t.getUTCDate(), t.getUTCMonth() + 1];
  return Buffer.concat([...fields, year % 100, Math.floor(year / 100)].map((n) => encodeBcd(n, 1)));
}
