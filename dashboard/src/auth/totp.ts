import { Secret, TOTP } from 'otpauth';

/** RFC 6238 TOTP, 6 digits, 30 s, SHA-1: what every authenticator app reads from the QR code. */
const ISSUER = 'Linli 邻里';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** The otpauth:// URI an authenticator app imports (shown once, as a QR code or text). */
export function totpUri(secret: string, label: string): string {
  return totp(secret, label).toString();
}

/**
 * Accepts the current code and one step either side (clock drift). Returns the
 * time step it matched so the caller can refuse a code used twice.
 */
export function totpStep(secret: string, code: string, now: number): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/** For tests and the demo script: the code an authenticator would show now. */
export function totpCode(secret: string, now: number): string {
  return totp(secret, 'x').generate({ timestamp: now });
}
