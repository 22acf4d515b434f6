import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub } from '../../../test/helpers/hub-fixture.js';
import { DIALECTS } from '../support/dialects.js';
import { databaseFor, dropSchema, type TestHub } from './insider-hub.js';

/**
 * Issue 17, item 6: the setup token stayed on disk after it had made the first
 * administrator. It is deleted on use, and a hub that starts with users removes
 * a leftover (setup done through another node, or a crash in between).
 */
for (const dialect of DIALECTS) {
  describe(`insider: the spent setup token leaves the disk [${dialect}]`, () => {
    const database = databaseFor(dialect);
    const dir = mkdtempSync(join(tmpdir(), 'linli-setup-'));
    let h: TestHub | null = null;
    afterAll(async () => {
      await h?.stop();
      await dropSchema(database);
    }, 60_000);

    it('deletes the file when the first administrator is made, and a stale copy at the next start', async () => {
      h = await startTestHub({ dir, ...(database ? { database } : {}) });
      const file = h.setupTokenFile!;
      expect(file).toBe(join(dir, 'setup-token'));
      const setupToken = readFileSync(file, 'utf8').trim();
      const ok = await h.api('POST', '/api/setup', {
        body: { setupToken, username: 'admin', displayName: '管理员', password: 'Str0ng-Passw0rd', areaCode: '341300' },
      });
      expect(ok.status).toBe(200);
      expect(existsSync(file)).toBe(false);
      await h.stop();
      h = null;

      // A copy left behind (another node's, or restored from a backup) is removed by a hub that has users.
      writeFileSync(file, `${setupToken}\n`, { mode: 0o644 });
      h = await startTestHub({ dir, ...(database ? { database } : {}) });
      expect(h.setupTokenFile).toBeNull();
      expect(existsSync(file)).toBe(false);
      // And the token is spent either way.
      const again = await h.api('POST', '/api/setup', {
        body: { setupToken, username: 'admin2', displayName: 'x', password: 'Str0ng-Passw0rd', areaCode: '341300' },
      });
      expect(again.status).toBe(403);
    });
  });
}
