import { type DecodeResult, incomplete, invalid } from '../decode-result.js';
import { CONTROL_ABNORMAL, CONTROL_FUNCTION_MASK, CONTROL_REPLY } from './codes.js';

// CJ/T 188-2004 §5: [FE…] 68 T A0…A6 C L DATA CS 16.
const PREAMBLE_BYTE = 0xfe;
const START = 0x68;
const END = 0x16;
/** Bytes before DATA: 68, T, A0–A6, C, L. */
const HEADER_BYTES = 11;
/** A frame with no data: header, CS, 16. */
export const MIN_FRAME_BYTES = HEADER_BYTES + 2;
/** Longest DATA we accept; the standard's messages are far shorter, and a cap keeps a corrupt L from stalling a reader. */
export const MAX_DATA_BYTES = 100;
/** Most FE wake-up bytes we skip; longer runs are dropped as noise so a reader never waits on them. */
export const MAX_PREAMBLE = 4;
/** The most bytes decodeFrame ever asks for: preamble + header + data + CS + 16. */
export const MAX_FRAME_BYTES = MAX_PREAMBLE + MIN_FRAME_BYTES + MAX_DATA_BYTES;

/** The control byte C, split into its bits. */
export interface Cjt188Control {
  raw: number;
  /** D7: who sent the frame. */
  direction: 'master-to-slave' | 'slave-to-master';
  /** D6: the meter reports it could not carry out the request. */
  abnormal: boolean;
  /** D5–D0, e.g. 0x01 read data (see FunctionCode). */
  function: number;
}

/** One decoded frame. */
export interface Cjt188Frame {
  meterType: number;
  /** A6…A0 as 14 upper-case hex digits, as printed on the meter; "AA" pairs are wildcards. */
  address: string;
  control: Cjt188Control;
  data: Buffer;
}

/** What encodeFrame needs; `control` is the raw C byte. */
export interface Cjt188FrameInput {
  meterType: number;
  address: string;
  control: number;
  data?: Uint8Array | readonly number[];
}

/** Splits a control byte into direction, abnormal flag and function code. */
export function decodeControl(raw: number): Cjt188Control {
  return {
    raw,
    direction: raw & CONTROL_REPLY ? 'slave-to-master' : 'master-to-slave',
    abnormal: (raw & CONTROL_ABNORMAL) !== 0,
    function: raw & CONTROL_FUNCTION_MASK,
  };
}

/** 14 hex digits (A6 first) → the 7 wire bytes (A0 first). Throws on a malformed string: that is a caller bug. */
export function addressToBytes(address: string): Buffer {
  if (!/^[0-9a-fA-F]{14}$/.test(address)) throw new RangeError(`CJ/T 188 address must be 14 hex digits: ${address}`);
  return Buffer.from(address, 'hex').reverse();
}

/** 7 wire bytes (A0 first) → 14 upper-case hex digits (A6 first); any byte is rendered, BCD or not. */
export function bytesToAddress(bytes: Uint8Array): string {
  return Buffer.from(bytes).reverse().toString('hex').toUpperCase();
}

/** Sum modulo 256, the CJ/T 188 checksum over 68 … end of DATA. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

/** Builds a frame, with `preamble` FE wake-up bytes in front (default none). Throws on arguments no frame can hold. */
export function encodeFrame(frame: Cjt188FrameInput, options: { preamble?: number } = {}): Buffer {
  const preamble = options.preamble ?? 0;
  const data = Buffer.from(frame.data ?? []);
  if (!isByte(frame.meterType) || !isByte(frame.control)) throw new RangeError('meter type and control must be bytes');
  if (data.length > MAX_DATA_BYTES) throw new RangeError(`data is ${data.length} bytes, at most ${MAX_DATA_BYTES}`);
  if (!Number.isInteger(preamble) || preamble < 0 || preamble > MAX_PREAMBLE) {
    throw new RangeError(`preamble must be 0…${MAX_PREAMBLE} bytes`);
  }
  const body = Buffer.concat([
    Buffer.from([START, frame.meterType]),
    addressToBytes(frame.address),
    Buffer.from([frame.control, data.length]),
    data,
  ]);
  return Buffer.concat([Buffer.alloc(preamble, PREAMBLE_BYTE), body, Buffer.from([checksum(body), END])]);
}

/**
 * Decodes one frame from the start of `buf`, after up to MAX_PREAMBLE FE bytes.
 * Never throws and never looks past `buf.length`; `consumed` includes the preamble.
 */
export function decodeFrame(buf: Uint8Array): DecodeResult<Cjt188Frame> {
  let start = 0;
  while (start < buf.length && buf[start] === PREAMBLE_BYTE) start++;
  // Drop only the excess, so the frame behind a long wake-up run is still found on the next call.
  if (start > MAX_PREAMBLE) return invalid('preamble longer than 4 bytes', start - MAX_PREAMBLE);
  if (start === buf.length) return incomplete(start + MIN_FRAME_BYTES);
  if (buf[start] !== START) return invalid('no 0x68 start byte', nextCandidate(buf, start + 1));

  // Past here the preamble and the 0x68 are dropped on any error, so the next call resynchronises after them.
  const dropStart = start + 1;
  if (buf.length < start + HEADER_BYTES) return incomplete(start + MIN_FRAME_BYTES);
  const length = buf[start + HEADER_BYTES - 1]!;
  if (length > MAX_DATA_BYTES) return invalid(`data length ${length} exceeds ${MAX_DATA_BYTES}`, dropStart);
  const total = start + MIN_FRAME_BYTES + length;
  if (buf.length < total) return incomplete(total);

  const csAt = start + HEADER_BYTES + length;
  if (buf[csAt] !== checksum(buf.subarray(start, csAt))) return invalid('checksum mismatch', dropStart);
  if (buf[csAt + 1] !== END) return invalid('no 0x16 end byte', dropStart);
  return {
    ok: true,
    value: {
      meterType: buf[start + 1]!,
      address: bytesToAddress(buf.subarray(start + 2, start + 9)),
      control: decodeControl(buf[start + 9]!),
      // A copy: callers keep frames while the stream buffer they came from is reused.
      data: Buffer.from(buf.subarray(start + HEADER_BYTES, csAt)),
    },
    consumed: total,
  };
}

/** Bytes to skip so the next call starts at the next FE or 68, or past everything if there is none. */
function nextCandidate(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === START || buf[i] === PREAMBLE_BYTE) return i;
  return buf.length;
}

function isByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xff;
}
