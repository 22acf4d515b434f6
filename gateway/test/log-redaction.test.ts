import { LOG_REDACT_PATHS } from '@linli/contract/node';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

describe('log redaction', () => {
  it('censors every credential field of the shared list, a cockpit handshake key included', () => {
    const lines: string[] = [];
    const log = createLogger('test', 'info', { write: (l: string) => void lines.push(l) });
    log.info(
      { auth: { key: 'k'.repeat(32), token: 't'.repeat(32) }, user: { password: 'hunter22' }, token: 'x'.repeat(32) },
      'handshake',
    );
    const line = lines.join('');
    expect(line).toContain('handshake');
    for (const secret of ['k'.repeat(32), 't'.repeat(32), 'hunter22', 'x'.repeat(32)])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line).auth.key).toBe('[redacted]');
    expect(LOG_REDACT_PATHS).toContain('auth.key');
  });
});
