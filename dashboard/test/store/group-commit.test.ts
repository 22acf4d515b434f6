import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';

const dirs: string[] = [];
function fresh(): { db: SqliteDb; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linli-group-'));
  dirs.push(dir);
  const file = join(dir, 'hub.sqlite');
  const db = new SqliteDb(file);
  db.raw.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return { db, file };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** What another connection sees: only what has been committed. */
function committed(file: string): number[] {
  const other = new Database(file, { readonly: true });
  try {
    return other.prepare('SELECT k FROM t ORDER BY k').pluck().all() as number[];
  } finally {
    other.close();
  }
}

describe('SQLite group commit', () => {
  it('commits transactions asked for together as one group, in the order they were asked for', async () => {
    const { db, file } = fresh();
    const order: number[] = [];
    const done = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        db.tx(async (t) => {
          order.push(i);
          // Each sees the ones before it in the same group.
          const before = await t.get<{ n: number }>('SELECT count(*) AS n FROM t');
          await t.run('INSERT INTO t (k, v) VALUES (?, ?)', [i, `row ${i}`]);
          return before!.n;
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(done).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(db.groupStats.groups).toBe(1);
    expect(db.groupStats.transactions).toBe(50);
    expect(committed(file)).toHaveLength(50);
    await db.close();
  });

  it("puts one transaction per lock key in a group: a gateway's next batch waits for the next group, in order", async () => {
    const { db, file } = fresh();
    const answered: string[] = [];
    const batch = (gw: string, k: number) =>
      db
        .tx(async (t) => {
          await t.lock(`gw:${gw}`);
          await t.run('INSERT INTO t (k, v) VALUES (?, ?)', [k, gw]);
          return committed(file).length;
        })
        .then((seenCommitted) => {
          answered.push(`${gw}${k}`);
          return seenCommitted;
        });
    // a1, b2 and c3 share the first group; a4 and a5 (gateway a's next batches) each wait for a group of their own.
    const seen = await Promise.all([batch('a', 1), batch('b', 2), batch('a', 4), batch('c', 3), batch('a', 5)]);
    expect(answered).toEqual(['a1', 'b2', 'c3', 'a4', 'a5']);
    expect(db.groupStats.groups).toBe(3);
    // a4 ran after the first group was committed and answered; a5 after a4's.
    expect(seen).toEqual([0, 0, 3, 0, 4]);
    expect(committed(file)).toEqual([1, 2, 3, 4, 5]);
    // A transaction may take its own key again (two audit entries in one transaction).
    expect(await db.tx(async (t) => (await t.lock('k'), await t.lock('k'), 'twice'))).toBe('twice');
    await db.close();
  });

  it('answers no caller before the group is committed', async () => {
    const { db, file } = fresh();
    const seenByOthers: number[][] = [];
    const first = db.tx(async (t) => t.run('INSERT INTO t (k, v) VALUES (1, ?)', ['a']));
    const firstAnswered = { at: -1 };
    void first.then(() => (firstAnswered.at = committed(file).length));
    // Runs after the first in the same group: the first's row is not committed yet, and its caller not answered.
    const second = db.tx(async (t) => {
      seenByOthers.push(committed(file));
      expect(firstAnswered.at).toBe(-1);
      await t.run('INSERT INTO t (k, v) VALUES (2, ?)', ['b']);
    });
    await Promise.all([first, second]);
    expect(seenByOthers).toEqual([[]]);
    expect(firstAnswered.at).toBe(2); // answered once both rows were visible to another connection
    await db.close();
  });

  it('rolls back a transaction that throws alone; its caller gets the error, the others commit', async () => {
    const { db, file } = fresh();
    const results = await Promise.allSettled([
      db.tx((t) => t.run('INSERT INTO t (k, v) VALUES (1, ?)', ['kept'])),
      db.tx(async (t) => {
        await t.run('INSERT INTO t (k, v) VALUES (2, ?)', ['undone']);
        throw new Error('refused halfway');
      }),
      db.tx((t) => t.run('INSERT INTO t (k, v) VALUES (1, ?)', ['duplicate key'])),
      db.tx((t) => t.run('INSERT INTO t (k, v) VALUES (3, ?)', ['kept'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/refused halfway/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE|PRIMARY KEY/);
    expect(committed(file)).toEqual([1, 3]);
    expect(db.groupStats.groups).toBe(1);
    await db.close();
  });

  it('fails every caller of a group whose COMMIT fails, and stores nothing of it', async () => {
    const { db, file } = fresh();
    // A deferred foreign key is checked at COMMIT: the one way to make COMMIT itself fail on demand.
    db.raw.pragma('foreign_keys = ON');
    db.raw.exec(
      'CREATE TABLE child (k INTEGER PRIMARY KEY, parent INTEGER REFERENCES t (k) DEFERRABLE INITIALLY DEFERRED)',
    );
    const results = await Promise.allSettled([
      db.tx((t) => t.run('INSERT INTO t (k, v) VALUES (1, ?)', ['a'])),
      db.tx((t) => t.run('INSERT INTO child (k, parent) VALUES (1, 99)')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committed(file)).toEqual([]);
    // The connection is usable afterwards.
    await db.tx((t) => t.run('INSERT INTO t (k, v) VALUES (5, ?)', ['after']));
    expect(committed(file)).toEqual([5]);
    await db.close();
  });

  it('makes statements outside a transaction wait for the open group', async () => {
    const { db } = fresh();
    const tx = db.tx(async (t) => {
      await t.run('INSERT INTO t (k, v) VALUES (1, ?)', ['in group']);
      await new Promise((r) => setImmediate(r)); // a transaction that awaits something else: I/O may run meanwhile
      await t.run('UPDATE t SET v = ? WHERE k = 1', ['final']);
    });
    const read = await db.get<{ v: string }>('SELECT v FROM t WHERE k = 1');
    expect(read?.v).toBe('final');
    await tx;
    await db.close();
  });
});
