import { logOptions } from '@linli/contract/node';
import { type DestinationStream, pino } from 'pino';
import { safeStdout } from './log-destination.js';

/**
 * Structured JSON logs with the redaction list the hub uses too
 * (contract/src/node/log-options.ts). Secrets and personal data never belong
 * in a log line; the list is the safety net for fields that could carry them.
 */
export function createLogger(
  name: string,
  level = process.env.LINLI_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
) {
  return pino(logOptions(name, level), destination ?? safeStdout());
}
export type Logger = ReturnType<typeof createLogger>;
