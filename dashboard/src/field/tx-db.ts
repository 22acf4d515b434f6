import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';

/**
 * A transaction seen as a database: services built over it run their own
 * `tx()` inside the caller's, so a phone action and everything it changes
 * (an alert step, its history, the action's record) commit together or not at all.
 */
export function txDb(t: SqlExec, describe: string): SqlDb {
  return {
    dialect: t.dialect,
    describe,
    all: (sql, params) => t.all(sql, params),
    get: (sql, params) => t.get(sql, params),
    run: (sql, params) => t.run(sql, params),
    lock: (key, mode) => t.lock(key, mode),
    exec: (script) => t.exec(script),
    tx: (fn) => fn(t),
    close: () => Promise.resolve(),
  };
}
