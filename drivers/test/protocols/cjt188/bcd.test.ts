import { describe, expect, it } from 'vitest';
import { decodeBcd, encodeBcd } from '../../../src/protocols/cjt188/bcd.js';

describe('CJ/T 188 BCD', () => {
  it('reads least-significant byte first', () => {
    expect(decodeBcd(Buffer.from([0x78, 0x56, 0x34, 0x12]))).toEqual({ ok: true, value: 12345678 });
    expect(decodeBcd(Buffer.alloc(0))).toEqual({ ok: true, value: 0 });
  });

  it('reports a non-decimal nibble with its position instead of throwing', () => {
    expect(decodeBcd(Buffer.from([0x12, 0x3a, 0x45]))).toEqual({
      ok: false,
      error: { kind: 'bad-bcd', index: 1, byte: 0x3a },
    });
    expect(decodeBcd(Buffer.from([0xa0])).ok).toBe(false);
  });

  it('writes least-significant byte first and rolls over past the field width', () => {
    expect([...encodeBcd(12345678, 4)]).toEqual([0x78, 0x56, 0x34, 0x12]);
    expect([...encodeBcd(2026, 1)]).toEqual([0x26]);
  });

  it('refuses values that are no BCD number', () => {
    expect(() => encodeBcd(-1, 2)).toThrow(RangeError);
    expect(() => encodeBcd(1.5, 2)).toThrow(RangeError);
  });
});
