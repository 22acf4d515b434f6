import { describe, expect, it } from 'vitest';
import type { ModbusPoint, ValueFormat } from '../../src/definition.js';
import { decodePoint, encodePoint } from '../../src/modbus/decode.js';

const pt = (format: ValueFormat, scale?: number): ModbusPoint => ({
  name: 'x',
  table: 'holding',
  address: 0,
  format,
  ...(scale ? { scale } : {}),
});

describe('Modbus value decoding', () => {
  // Golden words: IEEE-754 220.0 = 0x435C0000, -1.5 = 0xBFC00000, high word first.
  it.each([
    ['float32', [0x435c, 0x0000], 220],
    ['float32', [0xbfc0, 0x0000], -1.5],
    ['int16', [0xffff], -1],
    ['int16', [0x8000], -32768],
    ['uint16', [0xffff], 65535],
    ['uint32', [0x0001, 0x0000], 65536],
    ['uint32', [0xffff, 0xffff], 4294967295],
    ['int32', [0xffff, 0xfffe], -2],
    ['bool', [1], 1],
  ] as [ValueFormat, number[], number][])('%s %j → %d', (format, words, expected) => {
    expect(decodePoint(pt(format), words, 0)).toBe(expected);
  });

  it('applies the scale', () => {
    expect(decodePoint(pt('uint16', 0.1), [2205], 0)).toBeCloseTo(220.5, 6);
  });

  it('never reads past the block: a truncated read is NaN, not garbage', () => {
    expect(decodePoint(pt('float32'), [0x435c], 0)).toBeNaN();
    expect(decodePoint(pt('uint16'), [1, 2], 2)).toBeNaN();
    expect(decodePoint(pt('uint16'), [1, 2], -1)).toBeNaN();
  });

  it('round-trips encode → decode for every format over many values', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const ranges: Record<ValueFormat, [number, number]> = {
      bool: [0, 1],
      uint16: [0, 65535],
      int16: [-32768, 32767],
      uint32: [0, 4294967295],
      int32: [-2147483648, 2147483647],
      float32: [-1e6, 1e6],
    };
    for (const [format, [lo, hi]] of Object.entries(ranges) as [ValueFormat, [number, number]][]) {
      for (let i = 0; i < 500; i++) {
        const v = format === 'float32' ? lo + rnd() * (hi - lo) : Math.round(lo + rnd() * (hi - lo));
        const back = decodePoint(pt(format), encodePoint(pt(format), v), 0);
        if (format === 'float32') expect(back).toBeCloseTo(Math.fround(v), 3);
        else expect(back).toBe(v);
      }
    }
  });
});
