import { ADDRESS_BYTES, WILDCARD_ADDRESS, decodeAddress, encodeAddress } from './address.js';
import { type BcdError, type BcdResult, isBcdByte } from './bcd.js';
import { FUNCTION, replyControl } from './control.js';
import { DATA_IDS, DI_BYTES, type DataIdName, decodeValue, encodeDi, encodeValue } from './data-ids.js';
import { type EncodeOptions, type Dlt645Frame, encodeFrame } from './frame.js';

/**
 * The read-side conversation: a master asks for one data identifier or for
 * the address of the single meter on the line, and the meter answers. Parsers
 * return typed errors; a bad reply is an everyday event on a shared bus.
 */

/** Meaning of each bit of the error byte in an abnormal reply, bit 0 first (bit 7 is reserved). */
export const METER_ERRORS = [
  'other',
  'noRequestedData',
  'passwordOrUnauthorised',
  'baudRateUnchangeable',
  'yearZonesExceeded',
  'dailyPeriodsExceeded',
  'tariffsExceeded',
] as const;

/** One reason a meter gives in an abnormal reply. */
export type MeterError = (typeof METER_ERRORS)[number];

/** Why a reply could not be turned into a value. */
export type MessageError =
  | { kind: 'unexpected-control'; control: number }
  | { kind: 'abnormal'; errors: MeterError[]; byte: number }
  | { kind: 'wrong-di'; expected: number; actual: number }
  /** The data is shorter (or longer) than the identifier's format. */
  | { kind: 'data-length'; expected: number; actual: number }
  | { kind: 'bad-value'; cause: BcdError }
  | { kind: 'address-mismatch'; header: string; data: string };

/** A parsed reply or why it failed. */
export type MessageResult<T> = { ok: true; value: T } | { ok: false; error: MessageError };

const fail = (error: MessageError): { ok: false; error: MessageError } => ({ ok: false, error });

/** Error byte → the reasons it names. */
export function decodeMeterErrors(byte: number): MeterError[] {
  return METER_ERRORS.filter((_, bit) => (byte & (1 << bit)) !== 0);
}

/** Reasons → error byte. */
export function encodeMeterErrors(errors: readonly MeterError[]): number {
  return errors.reduce((byte, name) => byte | (1 << METER_ERRORS.indexOf(name)), 0);
}

/** Master → meter: read one data identifier. */
export function readDataRequest(address: string, name: DataIdName, options?: EncodeOptions): Buffer {
  return encodeFrame({ address, control: FUNCTION.readData, data: encodeDi(DATA_IDS[name].di) }, options);
}

/** Master → whichever single meter is on the line: tell me your address. */
export function readAddressRequest(options?: EncodeOptions): Buffer {
  return encodeFrame({ address: WILDCARD_ADDRESS, control: FUNCTION.readAddress }, options);
}

/** Meter → master: the value of one data identifier; fails when the value does not fit its format. */
export function readDataReply(address: string, name: DataIdName, value: number): BcdResult<Buffer> {
  const encoded = encodeValue(name, value);
  if (!encoded.ok) return encoded;
  const data = Buffer.concat([encodeDi(DATA_IDS[name].di), encoded.value]);
  return { ok: true, value: encodeFrame({ address, control: replyControl(FUNCTION.readData), data }) };
}

/** Meter → master: the request to `fn` failed for these reasons. */
export function abnormalReply(address: string, fn: number, errors: readonly MeterError[]): Buffer {
  const data = Uint8Array.of(encodeMeterErrors(errors));
  return encodeFrame({ address, control: replyControl(fn, true), data });
}

/** Meter → master: my address, in the header and again in the data. */
export function addressReply(address: string): Buffer {
  const data = encodeAddress(address) ?? undefined;
  return encodeFrame({ address, control: replyControl(FUNCTION.readAddress), data });
}

/** A read-data reply → the value of `name` in engineering units (kWh, V, A, kW). */
export function parseReadReply(frame: Dlt645Frame, name: DataIdName): MessageResult<number> {
  const { control, data } = frame;
  if (control.direction !== 'reply' || control.function !== FUNCTION.readData) {
    return fail({ kind: 'unexpected-control', control: control.code });
  }
  if (control.abnormal) {
    if (data.length !== 1) return fail({ kind: 'data-length', expected: 1, actual: data.length });
    return fail({ kind: 'abnormal', errors: decodeMeterErrors(data[0]!), byte: data[0]! });
  }
  const spec = DATA_IDS[name];
  // Check the DI before the length: a reply for another identifier is the more useful diagnosis.
  if (data.length < DI_BYTES)
    return fail({ kind: 'data-length', expected: DI_BYTES + spec.length, actual: data.length });
  const di = data.readUInt32LE(0);
  if (di !== spec.di) return fail({ kind: 'wrong-di', expected: spec.di, actual: di });
  if (data.length !== DI_BYTES + spec.length) {
    return fail({ kind: 'data-length', expected: DI_BYTES + spec.length, actual: data.length });
  }
  const value = decodeValue(name, data.subarray(DI_BYTES));
  return value.ok ? value : fail({ kind: 'bad-value', cause: value.error });
}

/** A read-address reply → the meter's 12-digit address. */
export function parseAddressReply(frame: Dlt645Frame): MessageResult<string> {
  const { control, data } = frame;
  if (control.direction !== 'reply' || control.abnormal || control.function !== FUNCTION.readAddress) {
    return fail({ kind: 'unexpected-control', control: control.code });
  }
  if (data.length !== ADDRESS_BYTES) return fail({ kind: 'data-length', expected: ADDRESS_BYTES, actual: data.length });
  const address = decodeAddress(data);
  // A meter's own address is plain BCD; a wildcard here means a garbled reply.
  if (address === null || address.includes('A')) {
    const index = data.findIndex((byte) => !isBcdByte(byte));
    return fail({ kind: 'bad-value', cause: { kind: 'not-bcd', index, byte: data[index] ?? 0 } });
  }
  if (address !== frame.address) return fail({ kind: 'address-mismatch', header: frame.address, data: address });
  return { ok: true, value: address };
}
