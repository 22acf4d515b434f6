import { join, dirname } from 'node:path';
import {
  createIdFactory,
  defaultSeverity,
  EVENT_VERSION,
  type EventDraft,
  type EvictedRange,
  type LinliEvent,
  type Location,
  priorityOf,
} from '@linli/contract';
import type Database from 'better-sqlite3';
import { Ballast } from './ballast.js';
import { isDiskFull, openBufferDb } from './buffer-db.js';
import { BufferFullError, checkDraft } from './draft.js';
import { type OutboxStatements, prepareStatements } from './outbox-statements.js';
import type { OutboxOptions, OutboxStats } from './outbox-types.js';
import { toRanges } from './ranges.js';
import { serializeEvent } from './serialize.js';

interface Pending {
  draft: EventDraft;
  location: Location;
  receivedAt: number;
  resolve: (e: LinliEvent) => void;
  reject: (err: unknown) => void;
}

interface Admitted {
  p: Pending;
  event: LinliEvent;
  body: string;
  alarm: boolean;
}

/** Enqueues gathered in one turn of the event loop are committed together; this bounds one transaction. */
const MAX_GROUP = 2000;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_BALLAST = 8 * 1024 * 1024;
const DISK_FULL_ATTEMPTS = 4;

/**
 * The gateway's durable outbox. Every event is committed here before anything
 * else sees it, and leaves only when the hub has acknowledged its sequence.
 * One writer (this object), group commit, sequence numbers assigned at commit
 * so they are gap-free and strictly increasing across restarts.
 *
 * Capacity: alarms and telemetry are two classes. When the byte limit (or the
 * disk) is reached, the oldest telemetry is evicted and its sequences recorded
 * so the hub learns they will never come; alarms are evicted never, and when
 * even they do not fit they are refused loudly rather than corrupting anything.
 */
export class Outbox {
  private readonly db: Database.Database;
  private readonly nextId = createIdFactory();
  private readonly now: () => number;
  private readonly ballast: Ballast;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private lastSeq: number;
  private bytes: number;
  private depth: number;
  /** Set when the filesystem filled up: the effective byte limit until space returns. */
  private diskLimit: number | null = null;
  private overflow: { reason: 'capacity' | 'disk_full'; since: number; refused: number; evicted: number } | null = null;
  private readonly listeners = new Set<(events: LinliEvent[]) => void>();
  private readonly q: OutboxStatements;

  constructor(private readonly opts: OutboxOptions) {
    this.db = openBufferDb(opts.file, opts.synchronous);
    this.now = opts.now ?? Date.now;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.ballast = new Ballast(join(dirname(opts.file), 'buffer.ballast'), opts.ballastBytes ?? DEFAULT_BALLAST);
    this.ballast.ensure();
    this.q = prepareStatements(this.db);
    this.lastSeq = this.meta('last_seq');
    const t = this.q.totals.get()!;
    this.depth = t.depth;
    this.bytes = t.bytes ?? 0;
  }

  /** Buffers one event; resolves with the stored event once its transaction has committed. */
  enqueue(draft: EventDraft, location: Location): Promise<LinliEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({ draft, location, receivedAt: this.now(), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Events after `seq`, oldest first. */
  readAfter(seq: number, limit: number): LinliEvent[] {
    return this.q.readAfter.all({ after: seq, limit }).map((r) => JSON.parse(r.body) as LinliEvent);
  }

  /** Evicted ranges overlapping (afterSeq, throughSeq], clipped to it. */
  evictedBetween(afterSeq: number, throughSeq: number): EvictedRange[] {
    return this.q.rangesBetween.all(afterSeq, throughSeq).map((r) => ({
      fromSeq: Math.max(r.from_seq, afterSeq + 1),
      toSeq: Math.min(r.to_seq, throughSeq),
    }));
  }

  /** The hub has everything up to `seq` (or knows it was evicted): drop it. Returns events removed. */
  ackThrough(seq: number): number {
    const removed = this.db.transaction(() => {
      const rows = [...this.q.ackTelemetry.all(seq), ...this.q.ackAlarms.all(seq)];
      this.q.ackRanges.run(seq);
      this.q.trimRange.run(seq + 1, seq, seq);
      return rows;
    })();
    this.depth -= removed.length;
    for (const r of removed) this.bytes -= r.bytes;
    if (removed.length && this.overflow) this.reportOverflow();
    return removed.length;
  }

  /** Periodic upkeep: expire old telemetry, re-create the ballast, report a past overflow. */
  maintain(): void {
    const cutoff = this.now() - this.maxAgeMs;
    // Telemetry is stored in arrival order, so the expired rows are a prefix: stop at the first young one.
    let expired = 0;
    for (;;) {
      const rows = this.q.oldestTelemetry.all(1000);
      const firstYoung = rows.findIndex((r) => r.received_at >= cutoff);
      const old = firstYoung === -1 ? rows : rows.slice(0, firstYoung);
      if (!old.length) break;
      this.db.transaction(() => this.evictRows(old))();
      expired += old.length;
      if (old.length < rows.length) break;
    }
    if (expired)
      this.opts.onProblem?.('telemetry expired from the buffer', { count: expired, olderThanMs: this.maxAgeMs });
    if (this.diskLimit !== null && this.ballast.ensure()) {
      this.diskLimit = null;
      this.opts.onProblem?.('disk space is back; buffer limit restored', { maxBytes: this.maxBytes });
    }
    if (this.overflow) this.reportOverflow();
  }

  /** The last sequence assigned (cheap: no query), for the uplink's batch loop. */
  lastAssignedSeq(): number {
    return this.lastSeq;
  }

  /** Everything the health endpoint and status report show (runs a few queries). */
  stats(): OutboxStats {
    return {
      depth: this.depth,
      bytes: this.bytes,
      lastSeq: this.lastSeq,
      oldestReceivedAt: this.q.oldest.get()?.received_at ?? null,
      evictedTelemetry: this.meta('evicted_telemetry'),
      refusedAlarms: this.meta('refused_alarms'),
      refusedTelemetry: this.meta('refused_telemetry'),
      diskFull: this.diskLimit !== null,
    };
  }

  /** Called after each commit with the events it added (the uplink wakes on it; alarms take the live lane). */
  onAppend(listener: (events: LinliEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private meta(key: string): number {
    return this.q.getMeta.get(key)?.value ?? 0;
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length) {
      const group = this.pending.splice(0, MAX_GROUP);
      const valid: Pending[] = [];
      for (const p of group) {
        const problem = checkDraft(p.draft);
        if (problem) p.reject(new Error(`driver produced an invalid ${p.draft.kind} event: ${problem}`));
        else valid.push(p);
      }
      if (valid.length) this.commitGroup(valid);
    }
  }

  private commitGroup(group: Pending[]): void {
    let outcome: { admitted: Admitted[]; refused: Pending[] } | null = null;
    let lastErr: unknown = null;
    for (let attempt = 0; attempt < DISK_FULL_ATTEMPTS && !outcome; attempt++) {
      try {
        outcome = this.tryCommit(group);
      } catch (err) {
        lastErr = err;
        if (!isDiskFull(err)) break;
        this.makeRoomOnDisk(attempt);
      }
    }
    if (!outcome) {
      const full = isDiskFull(lastErr);
      const e = full
        ? new BufferFullError('disk_full', 'the disk is full and evicting telemetry did not make room', lastErr)
        : lastErr;
      if (full) this.noteRefused(group, 'disk_full');
      for (const p of group) p.reject(e);
      return;
    }
    for (const a of outcome.admitted) a.p.resolve(a.event);
    if (outcome.refused.length) {
      const reason = this.diskLimit !== null ? 'disk_full' : 'capacity';
      const e = new BufferFullError(reason, 'buffer full of alarms; event refused');
      for (const p of outcome.refused) p.reject(e);
    }
    if (outcome.admitted.length) {
      const events = outcome.admitted.map((a) => a.event);
      for (const l of this.listeners) l(events);
    }
  }

  /**
   * The filesystem is full. Give SQLite the reserved space, fold the WAL back
   * into the database and truncate it (a full disk usually means a grown WAL),
   * and cap the buffer below its current size so eviction frees pages that new
   * events can reuse. Each further attempt cuts deeper.
   */
  private makeRoomOnDisk(attempt: number): void {
    const released = this.ballast.release();
    let checkpointed = true;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      checkpointed = false;
    }
    this.diskLimit = Math.floor(this.bytes * (0.9 - 0.2 * attempt));
    this.opts.onProblem?.('disk full: released reserved space, evicting telemetry', {
      released,
      checkpointed,
      bytes: this.bytes,
      limit: this.diskLimit,
    });
  }

  /** One transaction: make room, insert what fits. Throws (after rolling back) on any SQLite error. */
  private tryCommit(group: Pending[]): { admitted: Admitted[]; refused: Pending[] } {
    const limit = Math.min(this.maxBytes, this.diskLimit ?? Infinity);
    const saved = { lastSeq: this.lastSeq, bytes: this.bytes, depth: this.depth };
    this.db.exec('BEGIN IMMEDIATE');
    try {
      // Serialise once with the sequences they get if all fit (the common case); renumber only after a refusal.
      const sized = group.map((p, i) => {
        const event = this.build(p, this.lastSeq + i + 1);
        const body = serializeEvent(event);
        return { p, event, body, size: body.length, alarm: priorityOf(event.severity) === 'alarm' };
      });
      let incoming = sized.reduce((n, d) => n + d.size, 0);
      if (this.bytes + incoming > limit) this.evictOldestTelemetry(this.bytes + incoming - limit);
      // Still too much: refuse newest telemetry first, then alarms, so what is kept is what matters.
      const refused = new Set<(typeof sized)[number]>();
      for (const cls of [false, true]) {
        for (let i = sized.length - 1; i >= 0 && this.bytes + incoming > limit; i--) {
          const d = sized[i]!;
          if (d.alarm === cls && !refused.has(d)) {
            refused.add(d);
            incoming -= d.size;
          }
        }
      }
      const admitted: Admitted[] = [];
      for (const d of sized) {
        if (refused.has(d)) continue;
        const seq = ++this.lastSeq;
        const event = d.event.seq === seq ? d.event : ({ ...d.event, seq } as LinliEvent);
        const body = d.event.seq === seq ? d.body : serializeEvent(event);
        (d.alarm ? this.q.insertAlarm : this.q.insertTelemetry).run(seq, event.receivedAt, body.length, body);
        this.bytes += body.length;
        this.depth++;
        admitted.push({ p: d.p, event, body, alarm: d.alarm });
      }
      this.q.setMeta.run(this.lastSeq, 'last_seq');
      const refusedAlarms = [...refused].filter((d) => d.alarm).length;
      if (refusedAlarms) this.q.addMeta.run(refusedAlarms, 'refused_alarms');
      if (refused.size - refusedAlarms) this.q.addMeta.run(refused.size - refusedAlarms, 'refused_telemetry');
      this.db.exec('COMMIT');
      if (refused.size)
        this.noteRefused(
          [...refused].map((d) => d.p),
          this.diskLimit !== null ? 'disk_full' : 'capacity',
        );
      return { admitted, refused: [...refused].map((d) => d.p) };
    } catch (err) {
      // After SQLITE_FULL SQLite may already have rolled back; a ROLLBACK then would throw and hide the real error.
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {}
      }
      Object.assign(this, saved);
      throw err;
    }
  }

  /** Deletes the oldest telemetry until `need` bytes are freed (or none is left). Inside a transaction. */
  private evictOldestTelemetry(need: number): void {
    let freed = 0;
    while (freed < need) {
      const rows = this.q.oldestTelemetry.all(256);
      if (!rows.length) return;
      const take: { seq: number; bytes: number }[] = [];
      for (const r of rows) {
        if (freed >= need) break;
        take.push(r);
        freed += r.bytes;
      }
      this.evictRows(take);
    }
  }

  private evictRows(rows: { seq: number; bytes: number }[]): void {
    for (const r of rows) {
      this.q.deleteTelemetry.run(r.seq);
      this.bytes -= r.bytes;
      this.depth--;
    }
    for (const range of toRanges(rows.map((r) => r.seq))) {
      // Extend the range that ends just before this one, so steady eviction keeps one row, not thousands.
      if (this.q.extendRange.run(range.toSeq, range.fromSeq - 1).changes === 0)
        this.q.addRange.run(range.fromSeq, range.toSeq);
    }
    this.q.addMeta.run(rows.length, 'evicted_telemetry');
    if (this.overflow) this.overflow.evicted += rows.length;
  }

  private noteRefused(refused: Pending[], reason: 'capacity' | 'disk_full'): void {
    const alarms = refused.filter((p) => priorityOf(p.draft.severity ?? defaultSeverity[p.draft.kind]) === 'alarm');
    if (!alarms.length) return;
    if (!this.overflow) this.overflow = { reason, since: this.now(), refused: 0, evicted: 0 };
    this.overflow.refused += alarms.length;
    this.opts.onProblem?.('BUFFER FULL: alarms refused', {
      reason,
      refusedAlarms: alarms.length,
      kinds: [...new Set(alarms.map((p) => p.draft.kind))],
    });
  }

  /** Raises `gateway.buffer_full` once there is room again, so the hub hears about the overflow. */
  private reportOverflow(): void {
    const o = this.overflow;
    const location = this.opts.location;
    if (!o || !location) return;
    this.overflow = null;
    this.enqueue(
      {
        kind: 'gateway.buffer_full',
        deviceId: 'gateway',
        deviceTime: this.now(),
        payload: { reason: o.reason, refusedAlarms: o.refused, evictedTelemetry: o.evicted, since: o.since },
      },
      location,
    ).catch(() => {
      // Still no room: keep the report for the next chance.
      this.overflow ??= o;
    });
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

export type { OutboxOptions, OutboxStats } from './outbox-types.js';
