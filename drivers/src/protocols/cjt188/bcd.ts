/**
 * Packed BCD, least-significant byte first, as CJ/T 188 carries every number.
 * Duplicates the DL/T 645 helper on purpose: the two codecs are written side
 * by side and will share one helper once both have settled.
 */

/** A BCD decode: the value, or where the first non-decimal nibble sits (never a throw: the bytes come off the wire). */
export type BcdResult =
  { ok: true; value: number } | { ok: false; error: { kind: 'bad-bcd'; index: number; byte: number } };

/** Packed BCD bytes (least-significant byte first) → integer; a nibble above 9 is reported, not guessed at. */
export function decodeBcd(bytes: Uint8Array): BcdResult {
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i]!;
    const hi = byte >> 4;
    const lo = byte & 0x0f;
    if (hi > 9 || lo > 9) return { ok: false, error: { kind: 'bad-bcd', index: i, byte } };
    value = value * 100 + hi * 10 + lo;
  }
  return { ok: true, value };
}

/**
 * Non-negative integer → `length` packed BCD bytes, least-significant byte first.
 * Digits beyond the field are dropped, the way a meter register rolls over;
 * a negative or fractional value is a caller bug and throws.
 */
export function encodeBcd(value: number, length: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`BCD needs a non-negative integer, got ${value}`);
  const out = Buffer.alloc(length);
  let rest = value;
  for (let i = 0; i < length; i++) {
    const pair = rest % 100;
    out[i] = ((Math.floor(pair / 10) << 4) | (pair % 10)) & 0xff;
    rest = Math.floor(rest / 100);
  }
  return out;
}
