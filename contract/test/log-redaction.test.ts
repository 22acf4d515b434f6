import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACT_PATHS, logOptions } from '../src/node/log-options.js';

/** One log line written with the shared options, parsed. */
function logLine(fields: Record<string, unknown>): Record<string, unknown> & { msg: string } {
  const lines: string[] = [];
  pino(logOptions('test', 'info'), { write: (l: string) => void lines.push(l) }).info(fields, 'handshake');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown> & { msg: string };
}

/**
 * The one redaction list both services log with (contract/src/node/log-options.ts):
 * the gateway's and the hub's tests check only that their logger takes it.
 */
describe('log redaction', () => {
  it('censors every credential field of the shared list, a cockpit handshake key included', () => {
    const secrets = ['k'.repeat(32), 't'.repeat(32), 'hunter22', 'x'.repeat(32)];
    const fields = {
      auth: { key: secrets[0], token: secrets[1] },
      user: { password: secrets[2] },
      token: secrets[3],
    };
    const line = logLine(fields);
    expect(line.msg).toBe('handshake');
    for (const secret of secrets) expect(JSON.stringify(line)).not.toContain(secret);
    expect((line.auth as { key: string }).key).toBe('[redacted]');
    expect(LOG_REDACT_PATHS).toContain('auth.key');
  });

  it('censors each path of the list where it stands, and leaves other fields as they were', () => {
    for (const path of LOG_REDACT_PATHS) {
      // '*.key' stands for a key one level down: any parent name will do.
      const [a, b] = path.replace('*', 'any').split('.');
      const fields = b ? { [a!]: { [b]: 'secret-value', other: 'kept' } } : { [a!]: 'secret-value', other: 'kept' };
      const line = logLine(fields);
      const holder = (b ? line[a!] : line) as Record<string, unknown>;
      expect(holder[b ?? a!], path).toBe('[redacted]');
      expect(holder.other, path).toBe('kept');
    }
  });
});
