import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits, URL-safe: for gateway tokens and cockpit keys. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Only hashes are stored; tokens are high-entropy, so a plain SHA-256 (no slow KDF) is enough. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
