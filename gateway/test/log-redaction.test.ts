import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

// What the shared list censors is tested once, in contract/test/log-redaction.test.ts; here, that the gateway logs with it.
describe("the gateway's logger", () => {
  it('takes the shared redaction list: its hub token and a local password are censored', () => {
    const lines: string[] = [];
    const log = createLogger('gateway', 'info', { write: (l: string) => void lines.push(l) });
    log.info({ hub: { token: 't'.repeat(32) }, admin: { password: 'hunter22' } }, 'connecting');
    const line = JSON.parse(lines.join('')) as { hub: { token: string }; admin: { password: string } };
    expect([line.hub.token, line.admin.password]).toEqual(['[redacted]', '[redacted]']);
  });
});
