// PostgreSQL for benchmarks: a fresh database per run (created, and always
// dropped at the end), so a run never sees another run's rows or partitions.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server and the database to connect to for CREATE/DROP DATABASE; BENCH_PG to override. */
export const PG_ADMIN = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql) {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates linli_bench_<random>; returns its URL and a drop() that forces out leftover connections. */
export async function freshDatabase() {
  const name = `linli_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return { name, url: u.toString(), drop };
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
const copyField = (v) =>
  v === null || v === undefined
    ? '\\N'
    : String(v).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);

/**
 * `COPY table (columns) FROM STDIN` of `rows` (objects keyed by column) on one
 * pg client. pg-copy-streams is not installed; node-postgres accepts any
 * "submittable" (an object with submit() and the protocol handlers), which is
 * all COPY IN needs: send the query, stream CopyData on CopyInResponse, end.
 */
export function copyIn(client, table, columns, rows) {
  const q = {
    submit: (con) => con.query(`COPY ${table} (${columns.join(', ')}) FROM STDIN`),
    handleCopyInResponse(con) {
      // ~64 KiB CopyData messages: large enough to be cheap, small enough not to hold the whole load twice.
      let buf = '';
      for (const r of rows) {
        buf += `${columns.map((c) => copyField(r[c])).join('\t')}\n`;
        if (buf.length > 65_536) {
          con.sendCopyFromChunk(Buffer.from(buf));
          buf = '';
        }
      }
      if (buf) con.sendCopyFromChunk(Buffer.from(buf));
      con.endCopyFrom();
    },
    handleCommandComplete(msg) {
      q.rowCount = Number(/COPY (\d+)/.exec(msg.text)?.[1] ?? 0);
    },
    handleError(err) {
      q.error = err;
    },
    handleReadyForQuery() {
      if (q.error) q.reject(q.error);
      else q.resolve(q.rowCount);
    },
  };
  const done = new Promise((resolve, reject) => Object.assign(q, { resolve, reject }));
  client.query(q);
  return done;
}
