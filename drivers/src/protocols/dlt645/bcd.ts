/**
 * Packed BCD as DL/T 645-2007 carries numbers: two decimal digits per byte,
 * least-significant byte first. Decoders return typed errors instead of
 * throwing, because these bytes come straight off a shared RS-485 bus.
 */

/** Why a BCD conversion failed. */
export type BcdError =
  | { kind: 'not-bcd'; /** offset of the offending byte */ index: number; byte: number }
  | { kind: 'out-of-range'; value: number; digits: number };

/** A BCD conversion's outcome. */
export type BcdResult<T> = { ok: true; value: T } | { ok: false; error: BcdError };

/** True when both nibbles of `byte` are decimal digits. */
export function isBcdByte(byte: number): boolean {
  return (byte & 0x0f) <= 9 && byte >> 4 <= 9;
}

/** Little-endian packed BCD → unsigned integer. */
export function decodeBcd(bytes: Uint8Array): BcdResult<number> {
  let value = 0;
  // Walk from the most significant byte (the last one) down.
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i]!;
    if (!isBcdByte(byte)) return { ok: false, error: { kind: 'not-bcd', index: i, byte } };
    value = value * 100 + (byte >> 4) * 10 + (byte & 0x0f);
  }
  return { ok: true, value };
}

/** Unsigned integer → little-endian packed BCD of exactly `length` bytes. */
export function encodeBcd(value: number, length: number): BcdResult<Buffer> {
  const digits = length * 2;
  if (!Number.isSafeInteger(value) || value < 0 || value >= 10 ** digits) {
    return { ok: false, error: { kind: 'out-of-range', value, digits } };
  }
  const out = Buffer.alloc(length);
  let rest = value;
  for (let i = 0; i < length; i++) {
    const pair = rest % 100;
    out[i] = (Math.floor(pair / 10) << 4) | (pair % 10);
    rest = Math.floor(rest / 100);
  }
  return { ok: true, value: out };
}

/**
 * Little-endian BCD whose top bit is a sign (1 = negative), the way the
 * standard stores currents, powers and combined energy: the top digit then
 * only ranges 0–7.
 */
export function decodeSignedBcd(bytes: Uint8Array): BcdResult<number> {
  if (bytes.length === 0) return { ok: true, value: 0 };
  const top = bytes.length - 1;
  const negative = (bytes[top]! & 0x80) !== 0;
  const magnitude = Uint8Array.from(bytes);
  magnitude[top] = magnitude[top]! & 0x7f;
  const result = decodeBcd(magnitude);
  if (!result.ok) {
    // Report the byte as it was on the wire, not with the sign stripped.
    return result.error.kind === 'not-bcd' && result.error.index === top
      ? { ok: false, error: { ...result.error, byte: bytes[top]! } }
      : result;
  }
  // A "negative zero" on the wire is still zero; -0 would surprise callers.
  return { ok: true, value: negative && result.value !== 0 ? -result.value : result.value };
}

/** Signed integer → sign-and-magnitude BCD; the magnitude must leave the top bit free. */
export function encodeSignedBcd(value: number, length: number): BcdResult<Buffer> {
  const magnitude = encodeBcd(Math.abs(value), length);
  const top = length - 1;
  // The top bit belongs to the sign, so the magnitude's top digit must stay below 8.
  if (!magnitude.ok || length === 0 || (magnitude.value[top]! & 0x80) !== 0) {
    return { ok: false, error: { kind: 'out-of-range', value, digits: length * 2 } };
  }
  const out = magnitude.value;
  if (value < 0) out[top] = out[top]! | 0x80;
  return { ok: true, value: out };
}
