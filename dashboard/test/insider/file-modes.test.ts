import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AREAS, startTestHub } from '../../../test/helpers/hub-fixture.js';
import { DIALECTS } from '../support/dialects.js';
import { databaseFor, dropSchema, type TestHub } from './insider-hub.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * Issue 17, item 5: hub.sqlite and its WAL (password, session and register
 * hashes) were 0644 in a 0755 folder. The folder is 0700 and every database
 * file 0600, also the -wal and -shm SQLite creates later; a start with loosened
 * modes logs a warning saying what to run. The umask is the common 022 here,
 * so anything created with default modes would be world-readable.
 */
for (const dialect of DIALECTS) {
  describe(`insider: the hub's data folder is private [${dialect}]`, () => {
    const database = databaseFor(dialect);
    // Not yet there: the hub makes it.
    const dir = join(mkdtempSync(join(tmpdir(), 'linli-modes-')), 'data', 'hub');
    let h: TestHub | null = null;
    let umask = 0;
    beforeEach(() => {
      umask = process.umask(0o022);
    });
    afterEach(() => {
      process.umask(umask);
    });
    afterAll(async () => {
      await h?.stop();
      await dropSchema(database);
    }, 60_000);

    it('creates the folder 0700 and its files 0600, and warns at start once someone loosens them', async () => {
      h = await startTestHub({ dir, ...(database ? { database } : {}) });
      // Writes (a user, a login, audit entries) so SQLite has made its WAL and shared-memory files.
      await h.user('modes.check', 'city_operator', AREAS.city);
      const files = ['privacy.key', 'setup-token'];
      if (dialect === 'sqlite') files.push('hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm');
      expect(modeOf(dir)).toBe(0o700);
      for (const f of files) {
        expect(existsSync(join(dir, f)), f).toBe(true);
        expect([f, modeOf(join(dir, f))]).toEqual([f, 0o600]);
      }
      expect(h.logLines.join('\n')).not.toContain('权限过宽');
      await h.stop();
      h = null;

      chmodSync(dir, 0o755);
      const loosened = dialect === 'sqlite' ? join(dir, 'hub.sqlite') : join(dir, 'privacy.key.bak');
      if (dialect === 'sqlite') chmodSync(loosened, 0o644);
      else writeFileSync(loosened, 'x', { mode: 0o644 });
      h = await startTestHub({ dir, ...(database ? { database } : {}) });
      const warning = h.logLines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .find((l) => /权限过宽/.test(l.msg));
      expect(warning?.level).toBe(40);
      expect(warning?.msg).toContain(`chmod 700 '${dir}'`);
      expect(warning?.msg).toContain(`chmod 600 '${loosened}'`);
      expect(warning?.msg).toContain('data files readable by other users');
    });
  });
}
