import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

// What the shared list censors is tested once, in contract/test/log-redaction.test.ts; here, that the hub logs with it.
describe("the hub's logger", () => {
  it('takes the shared redaction list: a cockpit handshake key is censored', () => {
    const lines: string[] = [];
    createLogger('hub', 'info', { write: (l: string) => void lines.push(l) }).info({ auth: { key: 'k'.repeat(32) } });
    expect(JSON.parse(lines.join('')).auth.key).toBe('[redacted]');
  });
});
