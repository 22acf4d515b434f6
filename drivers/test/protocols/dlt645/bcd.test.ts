import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBcd,
  decodeSignedBcd,
  encodeBcd,
  encodeSignedBcd,
  isBcdByte,
} from '../../../src/protocols/dlt645/bcd.js';

describe('DL/T 645 BCD', () => {
  it('reads least-significant byte first', () => {
    expect(decodeBcd(Uint8Array.of(0x78, 0x56, 0x34, 0x12))).toEqual({ ok: true, value: 12345678 });
    expect(encodeBcd(12345678, 4)).toEqual({ ok: true, value: Buffer.from([0x78, 0x56, 0x34, 0x12]) });
    expect(encodeBcd(7, 2)).toEqual({ ok: true, value: Buffer.from([0x07, 0x00]) });
  });

  it('rejects non-BCD nibbles as a typed error, naming the byte', () => {
    expect(isBcdByte(0x99)).toBe(true);
    expect(isBcdByte(0x9a)).toBe(false);
    expect(isBcdByte(0xa9)).toBe(false);
    expect(decodeBcd(Uint8Array.of(0x12, 0x3f))).toEqual({
      ok: false,
      error: { kind: 'not-bcd', index: 1, byte: 0x3f },
    });
  });

  it('refuses values that do not fit, are negative or are not integers', () => {
    expect(encodeBcd(10000, 2).ok).toBe(false);
    expect(encodeBcd(-1, 2).ok).toBe(false);
    expect(encodeBcd(1.5, 2).ok).toBe(false);
    expect(encodeBcd(Number.NaN, 2).ok).toBe(false);
  });

  it('signed BCD keeps the sign in the top bit of the top byte', () => {
    expect(encodeSignedBcd(-12345, 3)).toEqual({ ok: true, value: Buffer.from([0x45, 0x23, 0x81]) });
    expect(decodeSignedBcd(Uint8Array.of(0x45, 0x23, 0x81))).toEqual({ ok: true, value: -12345 });
    // The top digit may only reach 7 because bit 7 is the sign.
    expect(encodeSignedBcd(800000, 3).ok).toBe(false);
    expect(encodeSignedBcd(799999, 3).ok).toBe(true);
  });

  it('a signed negative zero reads as plain 0', () => {
    const result = decodeSignedBcd(Uint8Array.of(0x00, 0x00, 0x80));
    expect(result.ok && Object.is(result.value, 0)).toBe(true);
  });

  it('reports the top byte as sent when it is not BCD', () => {
    expect(decodeSignedBcd(Uint8Array.of(0x00, 0x8a))).toEqual({
      ok: false,
      error: { kind: 'not-bcd', index: 1, byte: 0x8a },
    });
  });

  it('round-trips every value that fits (unsigned and signed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), (length, r) => {
        const value = Math.floor(r * (10 ** (2 * length) - 1));
        const bytes = encodeBcd(value, length);
        expect(bytes.ok && decodeBcd(bytes.value)).toEqual({ ok: true, value });
        const signed = Math.floor(r * (8 * 10 ** (2 * length - 1) - 1)) * (r < 0.5 ? -1 : 1);
        const sbytes = encodeSignedBcd(signed, length);
        expect(sbytes.ok && decodeSignedBcd(sbytes.value)).toEqual({ ok: true, value: signed === 0 ? 0 : signed });
      }),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (bytes) => {
        for (const result of [decodeBcd(bytes), decodeSignedBcd(bytes)]) {
          expect(typeof result.ok).toBe('boolean');
        }
      }),
    );
  });
});
