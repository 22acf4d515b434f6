import { InternalError } from '@linli/contract';
import type { EvictedRange, GatewayStatus, LinliEvent } from '@linli/contract';
import type { GatewayRecord, GatewayState, HubStore, IngestResult } from './hub-store.js';
import { RollupDelta, applyRollups, forgetRollups, recordRollups } from './rollups/rollup-writer.js';
import { dropOldEventPartitions } from './sql/partitions.js';
import type { SqlDb, SqlExec, SqlValue } from './sql/sql-db.js';

/** Rows per INSERT: 12 parameters each, under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 400;
const EVENT_COLUMNS = 'gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat';

interface GatewayRow {
  id: string;
  token_hash: string;
  last_seq: number;
  revoked: number;
  area_code: string | null;
}

/**
 * HubStore over SqlDb, the same code for SQLite and PostgreSQL. Ingest holds a
 * per-gateway lock for its transaction, so a gateway whose reconnect lands on
 * another node while its old connection is still being served is stored
 * exactly once: the second batch sees the first one's watermark.
 */
export class SqlHubStore implements HubStore {
  constructor(readonly db: SqlDb) {}

  ingest(
    gatewayId: string,
    events: LinliEvent[],
    evicted: EvictedRange[] = [],
    refused: number[] = [],
  ): Promise<IngestResult> {
    return this.db.tx(async (t): Promise<IngestResult> => {
      const gw = await this.lockGateway(t, gatewayId);
      let last = gw.last_seq;
      const fresh: LinliEvent[] = [];
      const ranges: { from: number; to: number }[] = [];
      const rejected: number[] = [];
      let duplicates = 0;
      let gap = false;
      // Events, evicted ranges and refused sequences interleave by sequence; walk them together.
      const items = [
        ...events.map((e) => ({ from: e.seq, to: e.seq, e, refused: false })),
        ...evicted.map((r) => ({ from: r.fromSeq, to: r.toSeq, e: null, refused: false })),
        ...refused.map((seq) => ({ from: seq, to: seq, e: null, refused: true })),
      ].sort((a, b) => a.from - b.from);
      for (const it of items) {
        if (it.to <= last) {
          if (it.e) duplicates++;
          continue;
        }
        if (it.from > last + 1) {
          gap = true;
          break;
        }
        if (it.e) fresh.push(it.e);
        else if (it.refused) rejected.push(it.to);
        else ranges.push({ from: last + 1, to: it.to });
        last = it.to;
      }
      const inserted = await this.insertEvents(t, gatewayId, fresh);
      duplicates += fresh.length - inserted.length; // arrived earlier on the live lane
      let lost = 0;
      for (const r of ranges) {
        const stored = await t.get<{ n: number }>(
          'SELECT count(*) AS n FROM events WHERE gateway_id = ? AND seq BETWEEN ? AND ?',
          [gatewayId, r.from, r.to],
        );
        lost += r.to - r.from + 1 - (stored?.n ?? 0);
      }
      if (last !== gw.last_seq) await t.run('UPDATE gateways SET last_seq = ? WHERE id = ?', [last, gatewayId]);
      if (lost) await t.run('UPDATE gateways SET lost_telemetry = lost_telemetry + ? WHERE id = ?', [lost, gatewayId]);
      if (rejected.length)
        await t.run('UPDATE gateways SET rejected_events = rejected_events + ? WHERE id = ?', [
          rejected.length,
          gatewayId,
        ]);
      return { ackSeq: last, inserted, duplicates, lost, gap, rejected };
    });
  }

  ingestLive(gatewayId: string, events: LinliEvent[]): Promise<LinliEvent[]> {
    return this.db.tx(async (t) => {
      const gw = await this.lockGateway(t, gatewayId);
      return this.insertEvents(
        t,
        gatewayId,
        events.filter((e) => e.seq > gw.last_seq),
      );
    });
  }

  private async lockGateway(t: SqlExec, gatewayId: string): Promise<GatewayRow> {
    await t.lock(`gw:${gatewayId}`);
    const gw = await t.get<GatewayRow>(
      'SELECT id, token_hash, last_seq, revoked, area_code FROM gateways WHERE id = ?',
      [gatewayId],
    );
    if (!gw) throw new InternalError(`unknown gateway ${gatewayId}`);
    return gw;
  }

  /**
   * Inserts in sequence order; returns the events that were new (a duplicate of a stored one is skipped).
   * Which are stored already is read first, one range of the primary key: under the gateway's lock (held by
   * both callers) nothing else can store this gateway's sequences meanwhile. It used to be `RETURNING seq` on
   * the INSERT, which builds a row per event for the one batch in thousands that has a duplicate: ~1.2 µs
   * an event, ~5% of the hub's ingest (docs/hub.md).
   */
  private async insertEvents(t: SqlExec, gatewayId: string, events: LinliEvent[]): Promise<LinliEvent[]> {
    if (!events.length) return [];
    const [lo, hi, early, late] = spanOf(events);
    // PostgreSQL's key holds received_at (the partition key): the same bound lets it read only the partitions
    // these events fall in, and still finds every row the key would refuse.
    const [sql, params]: [string, SqlValue[]] =
      t.dialect === 'postgres'
        ? [
            'SELECT seq FROM events WHERE gateway_id = ? AND seq BETWEEN ? AND ? AND received_at BETWEEN ? AND ?',
            [gatewayId, lo, hi, early, late],
          ]
        : ['SELECT seq FROM events WHERE gateway_id = ? AND seq BETWEEN ? AND ?', [gatewayId, lo, hi]];
    const taken = await t.all<{ seq: number }>(sql, params);
    const seen = new Set<number>(taken.map((r) => Number(r.seq)));
    const inserted: LinliEvent[] = [];
    for (const e of events) {
      if (seen.has(e.seq)) continue; // stored before, or twice in this batch
      seen.add(e.seq);
      inserted.push(e);
    }
    const now = Date.now();
    for (let i = 0; i < inserted.length; i += INSERT_CHUNK) {
      const chunk = inserted.slice(i, i + INSERT_CHUNK);
      const params: SqlValue[] = [];
      for (const e of chunk)
        params.push(
          gatewayId,
          e.seq,
          e.id,
          e.kind,
          e.severity,
          e.deviceId,
          e.location.gridId,
          e.receivedAt,
          now,
          JSON.stringify(e),
          e.location.lng,
          e.location.lat,
        );
      const { changes } = await t.run(insertSql(chunk.length), params);
      if (changes !== chunk.length)
        throw new InternalError(`gateway ${gatewayId}: stored ${changes} of ${chunk.length} new events`);
    }
    // The one roll-up hook: counts what was new, in this transaction (duplicates were refused above).
    await recordRollups(t, inserted);
    return inserted;
  }

  async recordStatus(gatewayId: string, status: GatewayStatus, hubNow: number): Promise<void> {
    await this.db.run('UPDATE gateways SET status = ?, status_at = ?, clock_skew_ms = ? WHERE id = ?', [
      JSON.stringify(status),
      hubNow,
      status.now - hubNow,
      gatewayId,
    ]);
  }

  async gatewayStates(aliveSince: number): Promise<GatewayState[]> {
    const rows = await this.db.all<{
      id: string;
      last_seq: number;
      status: string | null;
      status_at: number | null;
      clock_skew_ms: number | null;
      lost_telemetry: number;
      area_code: string | null;
      live: number;
    }>(
      `SELECT g.id, g.last_seq, g.status, g.status_at, g.clock_skew_ms, g.lost_telemetry, g.area_code,
              CASE WHEN n.heartbeat_at > ? THEN 1 ELSE 0 END AS live
         FROM gateways g LEFT JOIN hub_nodes n ON n.id = g.node_id
        WHERE g.revoked = 0 ORDER BY g.id`,
      [aliveSince],
    );
    return rows.map((r) => ({
      id: r.id,
      watermark: r.last_seq,
      status: r.status ? (JSON.parse(r.status) as GatewayStatus) : null,
      statusAt: r.status_at,
      clockSkewMs: r.clock_skew_ms,
      lostTelemetry: r.lost_telemetry,
      areaCode: r.area_code,
      connected: r.live === 1,
    }));
  }

  async lastSeq(gatewayId: string): Promise<number> {
    return (await this.gateway(gatewayId))?.lastSeq ?? 0;
  }

  async gateway(id: string): Promise<GatewayRecord | null> {
    const r = await this.db.get<GatewayRow>(
      'SELECT id, token_hash, last_seq, revoked, area_code FROM gateways WHERE id = ?',
      [id],
    );
    return r
      ? { id: r.id, tokenHash: r.token_hash, lastSeq: r.last_seq, revoked: r.revoked !== 0, areaCode: r.area_code }
      : null;
  }

  async upsertGateway(id: string, tokenHash: string, areaCode: string | null = null): Promise<void> {
    await this.db.run(
      `INSERT INTO gateways (id, token_hash, created_at, area_code) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked = 0,
         area_code = coalesce(excluded.area_code, gateways.area_code)`,
      [id, tokenHash, Date.now(), areaCode],
    );
  }

  async pruneEvents(olderThan: number, limit: number): Promise<number> {
    // PostgreSQL drops whole days first; then rows outside the day partitions (or, on SQLite, any row) go a chunk at a time.
    const dropped = await dropOldEventPartitions(this.db, olderThan, forgetRollups);
    const table = this.db.dialect === 'postgres' ? 'events_default' : 'events';
    // The roll-ups lose exactly the events deleted, in the same transaction.
    const changes = await this.db.tx(async (t) => {
      const gone = await t.all<{
        received_at: number;
        grid_id: string;
        kind: string;
        lng: number | null;
        lat: number | null;
      }>(
        `DELETE FROM ${table} WHERE (gateway_id, seq) IN
           (SELECT gateway_id, seq FROM ${table} WHERE received_at < ? ORDER BY received_at LIMIT ?)
         RETURNING received_at, grid_id, kind, lng, lat`,
        [olderThan, limit],
      );
      const counted = gone.map((r) => ({
        receivedAt: Number(r.received_at),
        kind: r.kind,
        location: { gridId: r.grid_id, lng: r.lng, lat: r.lat },
      }));
      await applyRollups(t, new RollupDelta().addEvents(counted, -1));
      return gone.length;
    });
    return dropped + changes;
  }

  async revokeGateway(id: string): Promise<boolean> {
    return (await this.db.run('UPDATE gateways SET revoked = 1 WHERE id = ?', [id])).changes > 0;
  }

  async recentEvents(limit: number, scopePrefix = ''): Promise<LinliEvent[]> {
    if (!/^[0-9]*$/.test(scopePrefix)) throw new InternalError(`bad scope prefix ${scopePrefix}`);
    const rows = await this.db.all<{ body: string }>(
      'SELECT body FROM events WHERE grid_id LIKE ? ORDER BY stored_at DESC, seq DESC LIMIT ?',
      [`${scopePrefix}%`, limit],
    );
    return rows.map((r) => JSON.parse(r.body) as LinliEvent).reverse();
  }

  async eventRefAt(gatewayId: string, seq: number): Promise<{ id: string; gridId: string } | null> {
    const r = await this.db.get<{ id: string; grid_id: string }>(
      'SELECT id, grid_id FROM events WHERE gateway_id = ? AND seq = ?',
      [gatewayId, seq],
    );
    return r ? { id: r.id, gridId: r.grid_id } : null;
  }

  async setGatewayNode(gatewayId: string, nodeId: string | null, ifNodeId?: string): Promise<void> {
    if (ifNodeId === undefined) await this.db.run('UPDATE gateways SET node_id = ? WHERE id = ?', [nodeId, gatewayId]);
    // Letting go only if no other node has taken the gateway over meanwhile.
    else
      await this.db.run('UPDATE gateways SET node_id = ? WHERE id = ? AND node_id = ?', [nodeId, gatewayId, ifNodeId]);
  }

  async heartbeat(nodeId: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO hub_nodes (id, started_at, heartbeat_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      [nodeId, now, now],
    );
  }

  async getSetting(key: string): Promise<string | null> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db.run(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** The INSERT of `n` events, built once per size (the same text each batch, so the statement cache finds it). */
const insertSqls = new Map<number, string>();
function insertSql(n: number): string {
  let sql = insertSqls.get(n);
  if (!sql) {
    const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    sql = `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(n).fill(row).join(', ')} ON CONFLICT DO NOTHING`;
    insertSqls.set(n, sql);
  }
  return sql;
}

/** The lowest and highest sequence and device time of a batch. */
function spanOf(events: readonly LinliEvent[]): [number, number, number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let early = Infinity;
  let late = -Infinity;
  for (const e of events) {
    if (e.seq < lo) lo = e.seq;
    if (e.seq > hi) hi = e.seq;
    if (e.receivedAt < early) early = e.receivedAt;
    if (e.receivedAt > late) late = e.receivedAt;
  }
  return [lo, hi, early, late];
}
