import { isBcdByte } from './bcd.js';

/**
 * Meter addresses. On the wire: 6 BCD bytes, least-significant first. In code:
 * the 12 digits as printed on the nameplate, most-significant first, so an
 * address can be typed straight from the meter. The wildcard byte 0xAA shows
 * up as "AA" in the string.
 */

/** Bytes in an address field. */
export const ADDRESS_BYTES = 6;
/** Wildcard byte: matches any address byte (abbreviated addressing, bus search). */
export const WILDCARD_BYTE = 0xaa;
/** All-wildcard address: read-address and other point-to-point requests to "whoever is there". */
export const WILDCARD_ADDRESS = 'AAAAAAAAAAAA';
/** Broadcast address: time sync and freeze; slaves never answer it. */
export const BROADCAST_ADDRESS = '999999999999';

const ADDRESS_PATTERN = /^(?:\d\d|AA){6}$/;

/** Normalises a nameplate address ("AA" wildcards allowed, any case); null when malformed. */
export function normaliseAddress(address: string): string | null {
  const upper = address.toUpperCase();
  return ADDRESS_PATTERN.test(upper) ? upper : null;
}

/** Address string → the 6 wire bytes (least-significant first); null when malformed. */
export function encodeAddress(address: string): Buffer | null {
  const normal = normaliseAddress(address);
  if (normal === null) return null;
  const out = Buffer.alloc(ADDRESS_BYTES);
  for (let i = 0; i < ADDRESS_BYTES; i++) {
    // Byte i on the wire is the i-th pair counted from the right of the string.
    const pair = normal.slice(10 - 2 * i, 12 - 2 * i);
    out[i] = Number.parseInt(pair, 16);
  }
  return out;
}

/** 6 wire bytes → address string; null when a byte is neither BCD nor the wildcard. */
export function decodeAddress(bytes: Uint8Array): string | null {
  if (bytes.length !== ADDRESS_BYTES) return null;
  let out = '';
  for (let i = ADDRESS_BYTES - 1; i >= 0; i--) {
    const byte = bytes[i]!;
    if (!isAddressByte(byte)) return null;
    out += byte.toString(16).padStart(2, '0').toUpperCase();
  }
  return out;
}

/** True for a byte allowed in an address field: two BCD digits or the wildcard. */
export function isAddressByte(byte: number): boolean {
  return byte === WILDCARD_BYTE || isBcdByte(byte);
}
