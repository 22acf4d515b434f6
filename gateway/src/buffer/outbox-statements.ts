import type Database from 'better-sqlite3';

/** A telemetry row as eviction sees it (the kind is read from the body, so eviction can count by kind). */
export interface EvictableRow {
  seq: number;
  bytes: number;
  received_at: number;
  kind: string | null;
}

/** Every statement the outbox runs. */
export interface OutboxStatements {
  insertAlarm: Database.Statement<[number, number, number, string]>;
  insertTelemetry: Database.Statement<[number, number, number, string]>;
  oldestTelemetry: Database.Statement<[number], EvictableRow>;
  deleteTelemetry: Database.Statement<[number]>;
  extendRange: Database.Statement<[number, number]>;
  addRange: Database.Statement<[number, number]>;
  readAfter: Database.Statement<{ after: number; limit: number }, { body: string }>;
  rangesBetween: Database.Statement<[number, number], { from_seq: number; to_seq: number }>;
  ackTelemetry: Database.Statement<[number], { bytes: number }>;
  ackAlarms: Database.Statement<[number], { bytes: number }>;
  firstSeq: Database.Statement<[], { seq: number | null }>;
  ackRanges: Database.Statement<[number]>;
  trimRange: Database.Statement<[number, number, number]>;
  getMeta: Database.Statement<[string], { value: number }>;
  addMeta: Database.Statement<[number, string]>;
  setMeta: Database.Statement<[number, string]>;
  totals: Database.Statement<[], { depth: number; bytes: number | null; telemetry: number }>;
  oldest: Database.Statement<[], { received_at: number | null }>;
}

/** Prepares them once (see buffer-db.ts for the tables). */
export function prepareStatements(db: Database.Database): OutboxStatements {
  return {
    insertAlarm: db.prepare<[number, number, number, string]>(
      'INSERT INTO alarms (seq, received_at, bytes, body) VALUES (?, ?, ?, ?)',
    ),
    insertTelemetry: db.prepare<[number, number, number, string]>(
      'INSERT INTO telemetry (seq, received_at, bytes, body) VALUES (?, ?, ?, ?)',
    ),
    oldestTelemetry: db.prepare<[number], EvictableRow>(
      "SELECT seq, bytes, received_at, json_extract(body, '$.kind') AS kind FROM telemetry ORDER BY seq LIMIT ?",
    ),
    deleteTelemetry: db.prepare<[number]>('DELETE FROM telemetry WHERE seq = ?'),
    extendRange: db.prepare<[number, number]>('UPDATE evicted SET to_seq = ? WHERE to_seq = ?'),
    addRange: db.prepare<[number, number]>('INSERT OR REPLACE INTO evicted (from_seq, to_seq) VALUES (?, ?)'),
    readAfter: db.prepare<{ after: number; limit: number }, { body: string }>(
      'SELECT seq, body FROM telemetry WHERE seq > @after UNION ALL SELECT seq, body FROM alarms WHERE seq > @after ORDER BY seq LIMIT @limit',
    ),
    rangesBetween: db.prepare<[number, number], { from_seq: number; to_seq: number }>(
      'SELECT from_seq, to_seq FROM evicted WHERE to_seq > ? AND from_seq <= ? ORDER BY from_seq LIMIT 1000',
    ),
    ackTelemetry: db.prepare<[number], { bytes: number }>('DELETE FROM telemetry WHERE seq <= ? RETURNING bytes'),
    ackAlarms: db.prepare<[number], { bytes: number }>('DELETE FROM alarms WHERE seq <= ? RETURNING bytes'),
    firstSeq: db.prepare<[], { seq: number | null }>(
      'SELECT min(s) AS seq FROM (SELECT min(seq) AS s FROM telemetry UNION ALL SELECT min(seq) FROM alarms)',
    ),
    ackRanges: db.prepare<[number]>('DELETE FROM evicted WHERE to_seq <= ?'),
    trimRange: db.prepare<[number, number, number]>(
      'UPDATE evicted SET from_seq = ? WHERE from_seq <= ? AND to_seq > ?',
    ),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?'),
    addMeta: db.prepare<[number, string]>('UPDATE meta SET value = value + ? WHERE key = ?'),
    setMeta: db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE key = ?'),
    totals: db.prepare<[], { depth: number; bytes: number | null; telemetry: number }>(
      'SELECT (SELECT count(*) FROM telemetry) + (SELECT count(*) FROM alarms) AS depth, ' +
        '(SELECT coalesce(sum(bytes), 0) FROM telemetry) + (SELECT coalesce(sum(bytes), 0) FROM alarms) AS bytes, ' +
        '(SELECT count(*) FROM telemetry) AS telemetry',
    ),
    oldest: db.prepare<[], { received_at: number | null }>(
      'SELECT min(r) AS received_at FROM (SELECT received_at AS r FROM (SELECT received_at FROM telemetry ORDER BY seq LIMIT 1) UNION ALL SELECT received_at FROM (SELECT received_at FROM alarms ORDER BY seq LIMIT 1))',
    ),
  };
}
