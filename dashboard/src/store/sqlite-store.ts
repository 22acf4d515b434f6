import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import Database from 'better-sqlite3';
import type { GatewayRecord, HubStore, IngestResult } from './hub-store.js';

/**
 * SQLite hub storage. synchronous=FULL because the hub's acknowledgement lets a
 * gateway delete its copy: an acknowledged event must survive a power cut here.
 */
export class SqliteHubStore implements HubStore {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS gateways (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        gateway_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        device_id TEXT NOT NULL,
        grid_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        stored_at INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (gateway_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS events_by_time ON events (stored_at);
      CREATE INDEX IF NOT EXISTS events_by_grid_time ON events (grid_id, received_at);
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.q = {
      gateway: this.db.prepare<[string], { id: string; token_hash: string; last_seq: number; revoked: number }>(
        'SELECT id, token_hash, last_seq, revoked FROM gateways WHERE id = ?',
      ),
      upsert: this.db.prepare<[string, string, number]>(
        `INSERT INTO gateways (id, token_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked = 0`,
      ),
      setLast: this.db.prepare<[number, string]>('UPDATE gateways SET last_seq = ? WHERE id = ?'),
      insert: this.db.prepare<[string, number, string, string, string, string, string, number, number, string]>(
        `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      recent: this.db.prepare<[number], { body: string }>(
        'SELECT body FROM events ORDER BY stored_at DESC, seq DESC LIMIT ?',
      ),
      getSetting: this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      setSetting: this.db.prepare<[string, string]>(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  ingest(gatewayId: string, events: LinliEvent[]): IngestResult {
    return this.db
      .transaction((): IngestResult => {
        const gw = this.q.gateway.get(gatewayId);
        if (!gw) throw new Error(`unknown gateway ${gatewayId}`);
        let last = gw.last_seq;
        const inserted: LinliEvent[] = [];
        let duplicates = 0;
        let gap = false;
        const now = Date.now();
        for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
          if (e.seq <= last) {
            duplicates++;
            continue;
          }
          if (e.seq !== last + 1) {
            gap = true;
            break;
          }
          this.q.insert.run(
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
          );
          inserted.push(e);
          last = e.seq;
        }
        if (last !== gw.last_seq) this.q.setLast.run(last, gatewayId);
        return { ackSeq: last, inserted, duplicates, gap };
      })
      .immediate();
  }

  lastSeq(gatewayId: string): number {
    return this.q.gateway.get(gatewayId)?.last_seq ?? 0;
  }

  gateway(id: string): GatewayRecord | null {
    const r = this.q.gateway.get(id);
    return r ? { id: r.id, tokenHash: r.token_hash, lastSeq: r.last_seq, revoked: r.revoked !== 0 } : null;
  }

  upsertGateway(id: string, tokenHash: string): void {
    this.q.upsert.run(id, tokenHash, Date.now());
  }

  recentEvents(limit: number): LinliEvent[] {
    return this.q.recent
      .all(limit)
      .map((r) => JSON.parse(r.body) as LinliEvent)
      .reverse();
  }

  getSetting(key: string): string | null {
    return this.q.getSetting.get(key)?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.q.setSetting.run(key, value);
  }

  close(): void {
    this.db.close();
  }
}
