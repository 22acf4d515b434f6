import { logOptions } from '@linli/contract/node';
import { type DestinationStream, pino } from 'pino';

/** Structured logs with the gateway's redaction list (contract/src/node/log-options.ts): credentials stay out. */
export function createLogger(
  name: string,
  level = process.env.LINLI_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
) {
  const options = logOptions(name, level);
  return destination ? pino(options, destination) : pino(options);
}
export type Logger = ReturnType<typeof createLogger>;
