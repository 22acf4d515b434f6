import { type ModbusPoint, REGISTER_WIDTH, type WordOrder } from '../definition.js';

/**
 * Where each byte of the big-endian value (A B C D) sits in the two registers as
 * received. Modbus fixes the byte order inside one register (big-endian) but not
 * the order of registers in a 32-bit value: many meters sold in China send the
 * low word first (CDAB). Each permutation is its own inverse, so it serves
 * decoding and encoding alike. 16-bit values are always big-endian.
 */
const BYTE_AT: Record<WordOrder, readonly [number, number, number, number]> = {
  ABCD: [0, 1, 2, 3],
  CDAB: [2, 3, 0, 1],
  BADC: [1, 0, 3, 2],
  DCBA: [3, 2, 1, 0],
};

/** The two registers of a 32-bit value → its four bytes in big-endian order. */
function bigEndian(w0: number, w1: number, order: WordOrder): Buffer {
  const received = [w0 >>> 8, w0 & 0xff, w1 >>> 8, w1 & 0xff];
  return Buffer.from(BYTE_AT[order].map((i) => received[i]!));
}

/** Four big-endian bytes → the two registers to send in this order. */
function registers(be: Buffer, order: WordOrder): number[] {
  const out = BYTE_AT[order].map((i) => be[i]!);
  return [(out[0]! << 8) | out[1]!, (out[2]! << 8) | out[3]!];
}

/**
 * Raw register words → engineering value. Pure; returns NaN for a point whose
 * words are not all present rather than reading past the block.
 */
export function decodePoint(
  point: ModbusPoint,
  words: readonly number[],
  offset: number,
  order: WordOrder = point.order ?? 'ABCD',
): number {
  const width = REGISTER_WIDTH[point.format];
  if (offset < 0 || offset + width > words.length) return Number.NaN;
  const w0 = words[offset]! & 0xffff;
  const w1 = width === 2 ? words[offset + 1]! & 0xffff : 0;
  let raw: number;
  switch (point.format) {
    case 'bool':
      raw = w0 ? 1 : 0;
      break;
    case 'uint16':
      raw = w0;
      break;
    case 'int16':
      raw = w0 > 0x7fff ? w0 - 0x10000 : w0;
      break;
    case 'uint32':
      raw = bigEndian(w0, w1, order).readUInt32BE(0);
      break;
    case 'int32':
      raw = bigEndian(w0, w1, order).readInt32BE(0);
      break;
    case 'float32':
      raw = bigEndian(w0, w1, order).readFloatBE(0);
      break;
  }
  return point.scale === undefined ? raw : raw * point.scale;
}

/** Engineering value → register words, for simulators and writes. Inverse of decodePoint. */
export function encodePoint(point: ModbusPoint, value: number, order: WordOrder = point.order ?? 'ABCD'): number[] {
  const raw = point.scale === undefined ? value : value / point.scale;
  switch (point.format) {
    case 'bool':
      return [raw ? 1 : 0];
    case 'uint16':
    case 'int16':
      return [Math.round(raw) & 0xffff];
    case 'uint32':
    case 'int32': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(Math.round(raw) >>> 0, 0);
      return registers(b, order);
    }
    case 'float32': {
      const b = Buffer.alloc(4);
      b.writeFloatBE(raw, 0);
      return registers(b, order);
    }
  }
}
