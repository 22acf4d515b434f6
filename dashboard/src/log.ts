import { type DestinationStream, pino } from 'pino';

/** Structured logs; the redaction list keeps credentials out even if a handshake object is logged whole. */
export function createLogger(
  name: string,
  level = process.env.LINLI_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
) {
  const options = {
    name,
    level,
    redact: {
      paths: ['token', '*.token', 'auth.token', 'key', '*.key', 'auth.key', 'password', '*.password'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type Logger = ReturnType<typeof createLogger>;
