import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createIdFactory,
  defaultSeverity,
  EVENT_VERSION,
  type EventDraft,
  ID_PATTERN,
  type LinliEvent,
  type Location,
  priorityOf,
  validators,
} from '@linli/contract';
import Database from 'better-sqlite3';

export type Durability = 'full' | 'normal';

export interface OutboxOptions {
  file: string;
  gatewayId: string;
  /** See docs in config/schema.ts: FULL fsyncs each commit, NORMAL only at WAL checkpoints. */
  synchronous: Durability;
}

export interface OutboxStats {
  depth: number;
  lastSeq: number;
  oldestReceivedAt: number | null;
}

interface Pending {
  draft: EventDraft;
  location: Location;
  receivedAt: number;
  resolve: (e: LinliEvent) => void;
  reject: (err: unknown) => void;
}

const DEVICE_ID = new RegExp(ID_PATTERN);

/**
 * What a driver supplies is checked here; the rest of the envelope is built by
 * the outbox from validated config, so the whole-event schema need not run per event.
 */
function checkDraft(d: EventDraft): string | null {
  const v = validators.payload[d.kind];
  if (!v) return `kind: unknown kind ${JSON.stringify(d.kind)}`;
  if (typeof d.deviceId !== 'string' || !DEVICE_ID.test(d.deviceId))
    return 'deviceId: must match the device id pattern';
  if (!Number.isFinite(d.deviceTime)) return 'deviceTime: must be a number';
  const r = v.check(d.payload);
  return r.ok ? null : r.issues.map((i) => `payload${i.field ? `.${i.field}` : ''} ${i.message}`).join('; ');
}

/** Enqueues gathered in one turn of the event loop are committed together; this bounds one transaction. */
const MAX_GROUP = 2000;

/**
 * The gateway's durable outbox. Every event is committed here before anything
 * else sees it; it leaves only when the hub has acknowledged its sequence.
 * One writer (this object), group commit, sequence numbers assigned at commit
 * so they are gap-free and strictly increasing across restarts.
 */
export class Outbox {
  private readonly db: Database.Database;
  private readonly nextId = createIdFactory();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private lastSeq: number;
  private readonly listeners = new Set<() => void>();
  private readonly stmt: {
    insert: Database.Statement<[number, number, number, string]>;
    setLast: Database.Statement<[number]>;
    readAfter: Database.Statement<[number, number], { body: string }>;
    ack: Database.Statement<[number]>;
    stats: Database.Statement<[], { depth: number; oldest: number | null }>;
  };

  constructor(private readonly opts: OutboxOptions) {
    mkdirSync(dirname(opts.file), { recursive: true });
    this.db = new Database(opts.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (
        seq INTEGER PRIMARY KEY,
        priority INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT OR IGNORE INTO meta (key, value) VALUES ('last_seq', 0);
    `);
    this.lastSeq = (this.db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: number }).value;
    this.stmt = {
      insert: this.db.prepare('INSERT INTO outbox (seq, priority, received_at, body) VALUES (?, ?, ?, ?)'),
      setLast: this.db.prepare("UPDATE meta SET value = ? WHERE key = 'last_seq'"),
      readAfter: this.db.prepare('SELECT body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      ack: this.db.prepare('DELETE FROM outbox WHERE seq <= ?'),
      stats: this.db.prepare('SELECT count(*) AS depth, min(received_at) AS oldest FROM outbox'),
    };
  }

  /** Buffers one event; resolves with the stored event once its transaction has committed. */
  enqueue(draft: EventDraft, location: Location): Promise<LinliEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({ draft, location, receivedAt: Date.now(), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Events after `seq`, oldest first. */
  readAfter(seq: number, limit: number): LinliEvent[] {
    return this.stmt.readAfter.all(seq, limit).map((r) => JSON.parse(r.body) as LinliEvent);
  }

  /** The hub has everything up to `seq`: drop it. */
  ackThrough(seq: number): number {
    return this.stmt.ack.run(seq).changes;
  }

  stats(): OutboxStats {
    const s = this.stmt.stats.get()!;
    return { depth: s.depth, lastSeq: this.lastSeq, oldestReceivedAt: s.oldest };
  }

  /** Called after each commit that added events (the uplink wakes on it). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length) {
      const group = this.pending.splice(0, MAX_GROUP);
      const ready: { p: Pending; event: LinliEvent }[] = [];
      const base = this.lastSeq;
      for (const p of group) {
        const problem = checkDraft(p.draft);
        if (problem) p.reject(new Error(`driver produced an invalid ${p.draft.kind} event: ${problem}`));
        else ready.push({ p, event: this.build(p, base + ready.length + 1) });
      }
      if (!ready.length) continue;
      try {
        this.db.transaction(() => {
          for (const { event } of ready) {
            this.stmt.insert.run(
              event.seq,
              priorityOf(event.severity) === 'alarm' ? 1 : 0,
              event.receivedAt,
              JSON.stringify(event),
            );
          }
          this.stmt.setLast.run(base + ready.length);
        })();
      } catch (err) {
        for (const { p } of ready) p.reject(err);
        continue;
      }
      this.lastSeq = base + ready.length;
      for (const { p, event } of ready) p.resolve(event);
      for (const l of this.listeners) l();
    }
  }

  private build(p: Pending, seq: number): LinliEvent {
    const { draft } = p;
    return {
      v: EVENT_VERSION,
      id: this.nextId(p.receivedAt),
      gatewayId: this.opts.gatewayId,
      seq,
      deviceTime: Math.max(0, Math.round(draft.deviceTime)),
      receivedAt: p.receivedAt,
      deviceId: draft.deviceId,
      kind: draft.kind,
      severity: draft.severity ?? defaultSeverity[draft.kind],
      location: p.location,
      payload: draft.payload,
    } as LinliEvent;
  }
}
