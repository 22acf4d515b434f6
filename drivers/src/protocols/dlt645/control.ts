/**
 * The DL/T 645-2007 control code C: bit7 direction, bit6 abnormal reply,
 * bit5 follow-up frame, bits4–0 function.
 */

/** Function codes (bits 4–0 of C). */
export const FUNCTION = {
  broadcastTime: 0x08,
  readData: 0x11,
  readFollowUp: 0x12,
  readAddress: 0x13,
  writeData: 0x14,
  writeAddress: 0x15,
  freeze: 0x16,
  changeBaud: 0x17,
  changePassword: 0x18,
  maxDemandClear: 0x19,
  meterClear: 0x1a,
  eventClear: 0x1b,
} as const;

/** Bit7: set on frames a slave (meter) sends. */
export const REPLY_BIT = 0x80;
/** Bit6: set on a slave's abnormal (error) reply. */
export const ABNORMAL_BIT = 0x40;
/** Bit5: set when more data follows in a further frame. */
export const FOLLOW_UP_BIT = 0x20;
const FUNCTION_MASK = 0x1f;

/** A control code split into its fields; `code` keeps the raw byte. */
export interface Dlt645Control {
  code: number;
  direction: 'request' | 'reply';
  abnormal: boolean;
  followUp: boolean;
  function: number;
}

/** Raw control byte → its fields. */
export function decodeControl(code: number): Dlt645Control {
  return {
    code,
    direction: code & REPLY_BIT ? 'reply' : 'request',
    abnormal: (code & ABNORMAL_BIT) !== 0,
    followUp: (code & FOLLOW_UP_BIT) !== 0,
    function: code & FUNCTION_MASK,
  };
}

/** Control byte of a slave's reply to `fn`: normal, or abnormal when `abnormal` is set. */
export function replyControl(fn: number, abnormal = false, followUp = false): number {
  return REPLY_BIT | (abnormal ? ABNORMAL_BIT : 0) | (followUp ? FOLLOW_UP_BIT : 0) | (fn & FUNCTION_MASK);
}
