import { type DecodeResult, incomplete, invalid } from '../protocols/decode-result.js';

/**
 * A one-key call box on an RS-485 line, polled with a two-line ASCII protocol
 * (illustrative: the shape of the many small vendor protocols for call buttons,
 * not a published standard):
 *
 *   request  `?` AA CR      AA: the box's address, two decimal digits 01–99
 *   reply    `!` AA S CR    S: `1` if the key was pressed since the last poll
 *                           (the box latches a press until it is read), else `0`
 */
export const MAX_FRAME_BYTES = 5;

export interface CallBoxReply {
  address: number;
  pressed: boolean;
}

/** The poll for box `address` (1–99). */
export function encodePoll(address: number): Buffer {
  return Buffer.from(`?${String(address).padStart(2, '0')}\r`, 'ascii');
}

const digit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/** One reply from the start of `buf`; never throws, never reads past it. */
export function decodeReply(buf: Uint8Array): DecodeResult<CallBoxReply> {
  if (buf.length === 0) return incomplete(MAX_FRAME_BYTES);
  // Bytes 0: `!`, 1–2: address digits, 3: state, 4: CR.
  if (buf[0] !== 0x21) {
    const next = buf.indexOf(0x21);
    return invalid('a reply starts with "!"', next < 0 ? buf.length : next);
  }
  for (let i = 1; i < Math.min(buf.length, 3); i++) if (!digit(buf[i])) return invalid('address is two digits');
  if (buf.length > 3 && buf[3] !== 0x30 && buf[3] !== 0x31) return invalid('state is 0 or 1');
  if (buf.length > 4 && buf[4] !== 0x0d) return invalid('a reply ends with CR');
  if (buf.length < MAX_FRAME_BYTES) return incomplete(MAX_FRAME_BYTES);
  const address = (buf[1]! - 0x30) * 10 + (buf[2]! - 0x30);
  return { ok: true, value: { address, pressed: buf[3] === 0x31 }, consumed: MAX_FRAME_BYTES };
}
