// The limit of the hub's ingest benchmarks: the rows a hub stored, inserted
// again straight into a fresh SQLite file whose events table is created from
// the hub's own schema (read from its sqlite_master: same columns, primary
// key and indexes, so the limit follows every migration), in transactions of
// `perTxn` rows, WAL, synchronous=FULL, with better-sqlite3.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { heatCellOf } from './city-points.mjs';

/** The events table's schema (table and indexes) of a hub's SQLite file. */
export function hubSchema(hubFile) {
  const src = new Database(hubFile, { readonly: true });
  try {
    const schema = src
      .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC")
      .pluck()
      .all();
    if (!schema.length) throw new Error(`${hubFile}: no events table`);
    return schema;
  } finally {
    src.close();
  }
}

/**
 * Events rows of a hub's SQLite file (arrays, `columns` names them), in the
 * order it stored them; only sequences in (fromSeq, toSeq] when given, and
 * only gateways whose id is LIKE `gateways`. The hub may be running: this is a
 * read-only WAL reader.
 */
export function readHubRows(hubFile, fromSeq = 0, toSeq = Number.MAX_SAFE_INTEGER, gateways = '%') {
  const src = new Database(hubFile, { readonly: true });
  try {
    const read = src
      .prepare(
        'SELECT * FROM events WHERE seq > ? AND seq <= ? AND gateway_id LIKE ? ORDER BY stored_at, gateway_id, seq',
      )
      .raw();
    const columns = read.columns().map((c) => c.name);
    return { schema: hubSchema(hubFile), columns, rows: read.all(fromSeq, toSeq, gateways) };
  } finally {
    src.close();
  }
}

/** A fresh raw.sqlite in `dir` with the hub's events schema; `insert` times only the inserts (seconds). */
export function openRawLimit(schema, dir) {
  const raw = new Database(join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  for (const sql of schema) raw.exec(sql);
  let ins = null;
  return {
    insert(rows, perTxn) {
      if (!rows.length) return 0;
      ins ??= raw.prepare(`INSERT OR IGNORE INTO events VALUES (${Array(rows[0].length).fill('?').join(', ')})`);
      const batch = raw.transaction((from, to) => {
        for (let i = from; i < to; i++) ins.run(rows[i]);
      });
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < rows.length; i += perTxn) batch(i, Math.min(rows.length, i + perTxn));
      return Number(process.hrtime.bigint() - t0) / 1e9;
    },
    /** Copies every events row of `hubFile` in, untimed: the limit starts from the table the hub starts from. */
    preload(hubFile) {
      raw.prepare('ATTACH DATABASE ? AS hub').run(hubFile);
      try {
        raw.exec('INSERT INTO events SELECT * FROM hub.events');
      } finally {
        raw.exec('DETACH DATABASE hub');
      }
      raw.pragma('wal_checkpoint(TRUNCATE)');
    },
    count: () => raw.prepare('SELECT count(*) FROM events').pluck().get(),
    close: () => raw.close(),
  };
}

/** Inserts `rows` into a table made from `schema` in `dir`/raw.sqlite; rows/s, timing only the inserts. */
export function rawInsertRate({ schema, rows }, dir, perTxn) {
  const raw = openRawLimit(schema, dir);
  try {
    const sec = raw.insert(rows, perTxn);
    const stored = raw.count();
    if (stored !== rows.length) throw new Error(`raw limit stored ${stored} rows, expected ${rows.length}`);
    return rows.length / sec;
  } finally {
    raw.close();
  }
}

/** How many events a stopped hub's SQLite file holds, and how many its gateways declared evicted (lost). */
export function hubEventCount(hubFile) {
  const src = new Database(hubFile, { readonly: true });
  try {
    return {
      stored: src.prepare('SELECT count(*) FROM events').pluck().get(),
      lost: src.prepare('SELECT coalesce(sum(lost_telemetry), 0) FROM gateways').pluck().get(),
    };
  } finally {
    src.close();
  }
}

/** How the stored rows spread over the city: distinct grids and distinct ~110 m heat cells. */
export function spreadOf({ columns, rows }) {
  const [g, x, y] = ['grid_id', 'lng', 'lat'].map((c) => columns.indexOf(c));
  const grids = new Set();
  const cells = new Set();
  for (const r of rows) {
    grids.add(r[g]);
    if (r[x] !== null) cells.add(heatCellOf(r[x], r[y]));
  }
  return { grids: grids.size, cells: cells.size };
}
