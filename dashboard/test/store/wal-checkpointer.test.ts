import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';
import { until, untilAsync } from '../../../test/helpers/processes.js';

// The hub's WAL checkpointed from a thread of its own (store/sql/wal-checkpointer.ts):
// a real file, a real worker thread, a second real connection.

const open: SqliteDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function fresh(): Promise<{ db: SqliteDb; file: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-wal-')), 'hub.sqlite');
  const db = new SqliteDb(file);
  open.push(db);
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { db, file };
}

/** Writes `n` rows of ~1 KB in transactions of 100: about a page per row. */
async function write(db: SqliteDb, from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i += 100)
    await db.tx(async (t) => {
      for (let k = i; k < Math.min(i + 100, from + n); k++)
        await t.run('INSERT INTO t (id, body) VALUES (?, ?)', [k, `${k}`.padEnd(1000, 'x')]);
    });
}

const autoPages = (db: SqliteDb) => db.raw.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('WAL checkpointed off the writer’s thread', () => {
  it('copies the WAL into the database file while the writer never checkpoints, and the WAL starts over', async () => {
    const { db, file } = await fresh();
    db.checkpointInBackground();
    expect(autoPages(db)).toBe(0);
    const before = statSync(file).size;
    await write(db, 0, 5000);
    // The database file grows only by checkpoints: the writer's own are off, so it is the thread's doing.
    await until(
      () => statSync(file).size > before + 4_000_000,
      'the checkpoint thread copies pages into the file',
      60_000,
    );
    // Writes slow to a trickle: the thread catches every frame, and a write after that starts the WAL over from
    // its beginning. A write that lands while the thread is mid-checkpoint cannot restart it, so this waits for
    // the thread to report a short WAL (its own passive checkpoints' count), writing a row at a time meanwhile.
    const checkpointer = (db as unknown as { checkpointer: { lastLog: number } }).checkpointer;
    let rows = 5000;
    await untilAsync(
      async () => {
        await write(db, rows++, 1);
        return checkpointer.lastLog < 100 || null;
      },
      'the WAL started over',
      60_000,
    );
    expect(((await db.get<{ n: number }>('SELECT count(*) AS n FROM t')) ?? { n: 0 }).n).toBe(rows);
    // Closed: the thread's connection first, then the writer's, the last, which checkpoints the WAL away.
    await db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(rows);
    check.close();
  });

  it('lets a process whose last work is closing the database close it and exit 0', () => {
    // The thread is unreferenced while it runs; close() must hold it until it has ended, or a process with
    // nothing else left exits in the middle of close() (a top-level await left unsettled: exit code 13).
    const built = fileURLToPath(new URL('../../dist/store/sql/sqlite-db.js', import.meta.url));
    const file = join(mkdtempSync(join(tmpdir(), 'linli-wal-exit-')), 'hub.sqlite');
    const script = `import { SqliteDb } from ${JSON.stringify(built)};
      const db = new SqliteDb(${JSON.stringify(file)});
      db.checkpointInBackground((m) => console.error(m));
      await db.exec('CREATE TABLE t (x)');
      await db.close();
      console.log('closed');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('closed');
    expect(r.status).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('falls back to the writer’s own checkpoints when the thread dies, and says so', async () => {
    const { db } = await fresh();
    const said: string[] = [];
    db.checkpointInBackground((m) => said.push(m));
    expect(autoPages(db)).toBe(0);
    const worker = (db as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } }).checkpointer
      .worker;
    await worker.terminate();
    await until(() => autoPages(db) === 1000, 'the writer checkpoints inline again');
    expect(said.join('\n')).toMatch(/WAL checkpoint thread ended; the writer checkpoints inline/);
    // And writing goes on, checkpointed by the writer: the WAL stays near SQLite's own 1,000 pages.
    await write(db, 0, 3000);
    const [r] = db.raw.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(r!.log).toBeLessThan(1500);
  });
});
