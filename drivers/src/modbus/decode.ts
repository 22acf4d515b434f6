import { type ModbusPoint, REGISTER_WIDTH } from '../definition.js';

/**
 * Raw register words → engineering value. Pure; returns NaN for a point whose
 * words are not all present rather than reading past the block.
 */
export function decodePoint(point: ModbusPoint, words: readonly number[], offset: number): number {
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
      raw = w0 * 0x10000 + w1;
      break;
    case 'int32':
      raw = ((w0 << 16) | w1) >> 0;
      break;
    case 'float32': {
      const b = Buffer.alloc(4);
      b.writeUInt16BE(w0, 0); // high word first ("ABCD")
      b.writeUInt16BE(w1, 2);
      raw = b.readFloatBE(0);
      break;
    }
  }
  return point.scale === undefined ? raw : raw * point.scale;
}

/** Engineering value → register words, for simulators and writes. Inverse of decodePoint. */
export function encodePoint(point: ModbusPoint, value: number): number[] {
  const raw = point.scale === undefined ? value : value / point.scale;
  switch (point.format) {
    case 'bool':
      return [raw ? 1 : 0];
    case 'uint16':
    case 'int16':
      return [Math.round(raw) & 0xffff];
    case 'uint32':
    case 'int32': {
      const v = Math.round(raw) >>> 0;
      return [(v >>> 16) & 0xffff, v & 0xffff];
    }
    case 'float32': {
      const b = Buffer.alloc(4);
      b.writeFloatBE(raw, 0);
      return [b.readUInt16BE(0), b.readUInt16BE(2)];
    }
  }
}
