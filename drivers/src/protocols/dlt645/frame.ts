import { type DecodeResult, incomplete, invalid } from '../decode-result.js';
import { ADDRESS_BYTES, decodeAddress, encodeAddress, isAddressByte } from './address.js';
import { type Dlt645Control, decodeControl } from './control.js';

/**
 * DL/T 645-2007 §7 frame: [FE×0–4] 68 A0..A5 68 C L DATA CS 16.
 * DATA travels with 0x33 added to every byte; CS is the byte sum mod 256 from
 * the first 68 through the last DATA byte as sent (i.e. after +0x33).
 */

/** Frame delimiter that opens the frame and the control part. */
export const START = 0x68;
/** Frame terminator. */
export const END = 0x16;
/** Wake-up byte a sender may put before a frame (up to four of them). */
export const PREAMBLE = 0xfe;
/** Most preamble bytes the standard allows. */
export const MAX_PREAMBLE = 4;
/** Largest L the standard allows (read replies; writes are smaller still). */
export const MAX_DATA_LENGTH = 200;
/** 68 + address + 68 + C + L + CS + 16. */
export const FRAME_OVERHEAD = 12;
/** Most bytes a decoder ever waits for: full preamble and the longest frame. */
export const MAX_FRAME_BYTES = MAX_PREAMBLE + FRAME_OVERHEAD + MAX_DATA_LENGTH;
/** What every data byte is offset by on the wire. */
const DATA_OFFSET = 0x33;

/** A decoded frame: address as on the nameplate, data with the 0x33 offset removed. */
export interface Dlt645Frame {
  address: string;
  control: Dlt645Control;
  data: Buffer;
}

/** What encodeFrame needs: data is plain (it adds the 0x33 offset). */
export interface FrameInput {
  address: string;
  control: number;
  data?: Uint8Array;
}

/** Encoding choices. */
export interface EncodeOptions {
  /** Prefix FE FE FE FE, which wakes some meters' receivers; off by default. */
  preamble?: boolean;
}

/**
 * Builds a wire frame. Throws RangeError on a malformed address, control byte
 * or oversize data: those are caller bugs, not bytes from the bus.
 */
export function encodeFrame(input: FrameInput, options: EncodeOptions = {}): Buffer {
  const address = encodeAddress(input.address);
  if (address === null) throw new RangeError(`DL/T 645 address must be 12 BCD digits or AA pairs: ${input.address}`);
  if (!Number.isInteger(input.control) || input.control < 0 || input.control > 0xff) {
    throw new RangeError(`DL/T 645 control code out of range: ${input.control}`);
  }
  const data = input.data ?? new Uint8Array(0);
  if (data.length > MAX_DATA_LENGTH) throw new RangeError(`DL/T 645 data too long: ${data.length} bytes`);

  const pre = options.preamble ? MAX_PREAMBLE : 0;
  const out = Buffer.alloc(pre + FRAME_OVERHEAD + data.length, PREAMBLE);
  let p = pre;
  out[p++] = START;
  address.copy(out, p);
  p += ADDRESS_BYTES;
  out[p++] = START;
  out[p++] = input.control;
  out[p++] = data.length;
  for (const byte of data) out[p++] = (byte + DATA_OFFSET) & 0xff;
  out[p] = checksum(out, pre, p);
  out[p + 1] = END;
  return out;
}

/**
 * Reads one frame from the start of `buf`. Skips a preamble of up to four FE;
 * says `incomplete` only while `buf` is still a valid prefix of a frame and
 * `invalid` (with how much to drop) as soon as a byte rules a frame out.
 */
export function decodeFrame(buf: Uint8Array): DecodeResult<Dlt645Frame> {
  let s = 0;
  while (s < buf.length && buf[s] === PREAMBLE) s++;
  if (s > MAX_PREAMBLE) return invalid('preamble longer than 4 bytes', s - MAX_PREAMBLE);
  if (s === buf.length) return incomplete(s + FRAME_OVERHEAD);
  if (buf[s] !== START) return invalid('no start byte 0x68', nextCandidate(buf, s + 1));

  // Check each header byte as soon as it is present, so garbage is dropped
  // early instead of being waited on.
  const headerEnd = Math.min(buf.length, s + 1 + ADDRESS_BYTES);
  for (let i = s + 1; i < headerEnd; i++) {
    if (!isAddressByte(buf[i]!)) return invalid('address byte is not BCD', nextCandidate(buf, s + 1));
  }
  if (buf.length <= s + 7) return incomplete(s + FRAME_OVERHEAD);
  if (buf[s + 7] !== START) return invalid('no second 0x68', nextCandidate(buf, s + 1));
  if (buf.length <= s + 9) return incomplete(s + FRAME_OVERHEAD);
  const length = buf[s + 9]!;
  if (length > MAX_DATA_LENGTH) return invalid(`data length ${length} > ${MAX_DATA_LENGTH}`, nextCandidate(buf, s + 1));

  const total = s + FRAME_OVERHEAD + length;
  if (buf.length < total) return incomplete(total);
  const csAt = s + 10 + length;
  if (buf[csAt] !== checksum(buf, s, csAt)) return invalid('checksum mismatch', nextCandidate(buf, s + 1));
  if (buf[csAt + 1] !== END) return invalid('no end byte 0x16', nextCandidate(buf, s + 1));

  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (buf[s + 10 + i]! - DATA_OFFSET) & 0xff;
  // The header loop above proved every address byte valid, so this is never null.
  const address = decodeAddress(buf.subarray(s + 1, s + 1 + ADDRESS_BYTES)) ?? '';
  return { ok: true, value: { address, control: decodeControl(buf[s + 8]!), data }, consumed: total };
}

/**
 * Splits a finished capture (a log, a test stream) into its frames, dropping
 * garbage. Because no more bytes will come, a false start that runs off the
 * end is retried one byte later rather than waited on; a live reader must
 * instead wait as `incomplete` says.
 */
export function splitFrames(buf: Uint8Array): Dlt645Frame[] {
  const frames: Dlt645Frame[] = [];
  let at = 0;
  while (at < buf.length) {
    const result = decodeFrame(buf.subarray(at));
    if (result.ok) {
      frames.push(result.value);
      at += result.consumed;
    } else {
      at += result.error.kind === 'invalid' ? result.error.skip : 1;
    }
  }
  return frames;
}

/** Sum mod 256 of buf[from..to). */
function checksum(buf: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += buf[i]!;
  return sum & 0xff;
}

/**
 * How many bytes to drop: up to the next byte that could open a frame (FE or
 * 68) at or after `from`, so a real frame behind a false start is never lost.
 */
function nextCandidate(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === START || buf[i] === PREAMBLE) return i;
  }
  return buf.length;
}
