import { pino } from 'pino';

/** Lines that could not be written (stdout on a full disk, a stuck pipe), for /metrics. */
export const droppedLogWrites = { count: 0 };

/**
 * Standard output for the logger, made safe for a gateway that must not stop:
 * a write error (ENOSPC when stdout is a file on a full disk) drops that line
 * and counts it instead of surfacing as an unhandled 'error' event. Writes are
 * synchronous: a line is written or dropped when it is logged, so nothing piles
 * up in memory and no flush at exit can loop on a disk that stays full (the
 * gateway logs per problem, not per event, so the cost does not matter).
 */
export function safeStdout() {
  const dest = pino.destination({ dest: 1, sync: true, maxLength: 4 * 1024 * 1024 });
  dest.on('error', () => {
    droppedLogWrites.count++;
  });
  dest.on('drop', () => {
    droppedLogWrites.count++;
  });
  return dest;
}
