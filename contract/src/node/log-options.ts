/**
 * Fields that could carry a credential (a gateway token, a cockpit session key
 * in a handshake's `auth.key`, a password): censored in every log line of the
 * gateway and the hub alike. A safety net: secrets never belong in a log line.
 */
export const LOG_REDACT_PATHS = [
  'token',
  '*.token',
  'auth.token',
  'key',
  '*.key',
  'auth.key',
  'password',
  '*.password',
] as const;

/** The pino options both services log with: JSON lines, the level, the one redaction list. */
export function logOptions(name: string, level: string) {
  return { name, level, redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' } };
}
