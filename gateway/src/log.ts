import { type DestinationStream, pino } from 'pino';
import { safeStdout } from './log-destination.js';

/**
 * Structured JSON logs. Secrets and personal data never belong in a log line;
 * the redaction list is the safety net for fields that could carry them.
 */
export function createLogger(
  name: string,
  level = process.env.LINLI_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
) {
  const options = {
    name,
    level,
    redact: {
      paths: ['token', '*.token', 'auth.token', 'password', '*.password', 'key', '*.key'],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? safeStdout());
}
export type Logger = ReturnType<typeof createLogger>;
