import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBufferDb } from '../src/buffer/buffer-db.js';
import { looseModes, looseModesWarning } from '../src/file-modes.js';
import { AlarmLog } from '../src/flows/alarm-log.js';
import { MediaOutbox } from '../src/media/media-outbox.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * Issue 17, item 5: the gateway's buffer.sqlite (alarms, gate passes) was 0644.
 * Its data folder is made 0700 and each database 0600, with the -wal and -shm
 * that SQLite makes later; loosened modes are found and the fix is named. The
 * umask is the common 022 here, so defaults would be world-readable.
 */
describe('gateway data files are private', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('creates the folder 0700 and the buffer, alarm log and picture queue 0600 with their WAL and SHM', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'linli-gwmodes-')), 'state');
    const buffer = openBufferDb(join(dir, 'buffer.sqlite'), 'full');
    buffer.prepare("UPDATE meta SET value = 1 WHERE key = 'last_seq'").run();
    const alarms = new AlarmLog(join(dir, 'alarms.sqlite'));
    const media = new MediaOutbox(join(dir, 'media.sqlite'), 10);
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const db of ['buffer', 'alarms', 'media'])
        for (const suffix of ['', '-wal', '-shm']) {
          const f = `${db}.sqlite${suffix}`;
          expect([f, modeOf(join(dir, f))]).toEqual([f, 0o600]);
        }
      expect(looseModes(dir)).toEqual([]);
    } finally {
      buffer.close();
      alarms.close();
      media.close();
    }
  });

  it('finds what someone loosened, allows a group-readable log, and says what to run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-gwmodes-'));
    writeFileSync(join(dir, 'buffer.sqlite'), '', { mode: 0o600 });
    writeFileSync(join(dir, 'gateway.log'), '', { mode: 0o600 });
    chmodSync(join(dir, 'buffer.sqlite'), 0o644);
    chmodSync(join(dir, 'gateway.log'), 0o640);
    chmodSync(dir, 0o750);
    const loose = looseModes(dir);
    expect(loose).toEqual([
      { path: dir, mode: 0o750, want: 0o700 },
      { path: join(dir, 'buffer.sqlite'), mode: 0o644, want: 0o600 },
    ]);
    const text = looseModesWarning(loose);
    expect(text).toMatch(/^数据目录权限过宽/);
    expect(text).toContain(`chmod 700 '${dir}'; chmod 600 '${join(dir, 'buffer.sqlite')}'`);
    chmodSync(join(dir, 'gateway.log'), 0o644);
    expect(looseModes(dir).map((l) => l.path)).toContain(join(dir, 'gateway.log'));
  });
});
