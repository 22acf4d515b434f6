import { join, dirname } from 'node:path';
import {
  createIdFactory,
  type EventDraft,
  type EvictedRange,
  InternalError,
  type LinliEvent,
  type Location,
} from '@linli/contract';
import type Database from 'better-sqlite3';
import { EventBus } from '../event-bus.js';
import { Acks } from './acks.js';
import { Ballast } from './ballast.js';
import { admitGroup, type Admission, type Outcome } from './admit-group.js';
import { classOf, estimateBytes } from './build-event.js';
import { isDiskFull, openBufferDb } from './buffer-db.js';
import { DiskSpace, type Reclaimer } from './disk-space.js';
import { DiskWatch, NeedRoom } from './disk-watch.js';
import { BufferFullError, checkDraft } from './draft.js';
import { type OutboxStatements, prepareStatements } from './outbox-statements.js';
import type { OutboxEvents, OutboxOptions, OutboxStats, Pending } from './outbox-types.js';
import { OverflowCounts, type OverflowReason } from './overflow-counts.js';
import { OverflowReporter } from './overflow-reporter.js';
import { Eviction, type Tally } from './eviction.js';
import { bufferTxn } from './transaction.js';

/** Enqueues gathered in one turn of the event loop are committed together; this bounds one transaction. */
const MAX_GROUP = 2000;
/** On a full disk a transaction must fit in the WAL the buffer already has: smaller groups. */
const MAX_GROUP_FULL = 200;
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_BALLAST = 8 * 1024 * 1024;
/** Relief attempts per commit on a full disk (eviction doubles each time, so this covers any buffer). */
const MAX_RELIEF = 40;
/** How often (at most) the disk state is re-checked outside the periodic upkeep. */
const DISK_CHECK_MS = 1000;

/**
 * The gateway's durable outbox. Every event is committed here before anything
 * else sees it, and leaves only when the hub has acknowledged its sequence.
 * One writer (this object), group commit, sequence numbers assigned at commit
 * so they are gap-free and strictly increasing across restarts.
 *
 * Capacity: alarms and telemetry are two classes. When the byte limit or the
 * disk is reached, the oldest telemetry is evicted and its sequences recorded
 * so the hub learns they will never come; alarms are evicted never, and are
 * refused only when no telemetry and nothing reclaimable is left (DiskWatch).
 * Refusals and evictions are counted by kind until a report reaches the hub.
 */
export class Outbox {
  private readonly db: Database.Database;
  private readonly nextId = createIdFactory();
  private readonly now: () => number;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly bus: EventBus<OutboxEvents>;
  private readonly counts: OverflowCounts;
  private readonly disk: DiskWatch;
  private readonly space: DiskSpace;
  private readonly q: OutboxStatements;
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly tally: Tally;
  private readonly evict: Eviction;
  private readonly acks: Acks;
  private readonly reporter: OverflowReporter;
  private lastDiskCheck = 0;
  private readonly admission: Admission;

  constructor(private readonly opts: OutboxOptions) {
    this.db = openBufferDb(opts.file, opts.synchronous);
    this.now = opts.now ?? Date.now;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxAgeMs = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.bus = new EventBus((component, event, err) =>
      this.problem(`${component}/${event} failed; the commit stands`, {
        err: String(err),
        code: (err as { code?: unknown } | null)?.code,
      }),
    );
    this.q = prepareStatements(this.db);
    this.counts = new OverflowCounts(this.db, this.now);
    this.space = new DiskSpace(this.db, dirname(opts.file));
    this.disk = new DiskWatch({
      ballast: new Ballast(join(dirname(opts.file), 'buffer.ballast'), opts.ballastBytes ?? DEFAULT_BALLAST),
      space: this.space,
      evict: (bytes) => this.evictCommitted(bytes),
      telemetryLeft: () => this.tally.telemetry > 0,
      bufferBytes: () => this.tally.bytes,
      raise: (draft) => this.reporter.raise(draft),
      now: this.now,
      problem: (m, f, l) => this.problem(m, f, l),
      onSpaceBack: () => this.reporter.report(true),
    });
    const t = this.q.totals.get()!;
    this.tally = { lastSeq: this.meta('last_seq'), depth: t.depth, bytes: t.bytes ?? 0, telemetry: t.telemetry };
    this.evict = new Eviction(this.q, this.counts, this.tally);
    this.acks = new Acks(
      this.q,
      this.tally,
      this.space,
      (fn) => this.txn(fn),
      (m, f) => this.problem(m, f),
    );
    this.admission = {
      ...{ tally: this.tally, maxBytes: this.maxBytes, evict: this.evict, disk: this.disk, q: this.q },
      ...{ counts: this.counts, nextId: this.nextId, gatewayId: opts.gatewayId },
    };
    this.reporter = new OverflowReporter(this.counts, opts.location, (p) => this.push(p), this.now);
    this.disk.start();
  }

  /** Buffers one event; resolves with the stored event once its transaction has committed. */
  enqueue(draft: EventDraft, location: Location): Promise<LinliEvent> {
    return this.push({ draft, location });
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

  /**
   * The hub has everything up to `seq` (or knows it was evicted): drop it.
   * Returns events removed; never throws for a full disk (see Acks).
   */
  ackThrough(seq: number): number {
    const removed = this.acks.through(seq);
    if (removed) {
      this.checkDisk();
      this.reporter.report(false);
    }
    return removed;
  }

  /** Periodic upkeep: expire old telemetry, restore the reserve, clear the disk-full state, report overflows. */
  maintain(): void {
    try {
      this.expire();
      this.checkDisk(true);
      this.reporter.report(false);
    } catch (err) {
      // Upkeep runs from a timer: whatever it meets is reported, never thrown into the process.
      this.problem('buffer upkeep failed; will retry', { err: String(err) });
    }
  }

  /** The last sequence assigned (cheap: no query), for the uplink's batch loop. */
  lastAssignedSeq(): number {
    return this.tally.lastSeq;
  }

  /** Everything the health endpoint and status report show (runs a few queries). */
  stats(): OutboxStats {
    return {
      depth: this.tally.depth,
      telemetry: this.tally.telemetry,
      bytes: this.tally.bytes,
      lastSeq: this.tally.lastSeq,
      oldestReceivedAt: this.q.oldest.get()?.received_at ?? null,
      ...this.counts.totals(),
      diskFull: this.disk.isFull,
    };
  }

  /**
   * Called after each commit with the events it added (the uplink wakes on it;
   * alarms take the live lane). Isolated: a listener that throws is logged as
   * `<component>/append` and the others still run.
   */
  onAppend(listener: (events: LinliEvent[]) => unknown, component = 'subscriber'): () => void {
    return this.bus.on('append', component, listener);
  }

  /** Another part of the gateway that can give disk space back when no telemetry is left to evict. */
  addReclaimer(r: Reclaimer): () => void {
    return this.disk.addReclaimer(r);
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private push(p: Omit<Pending, 'receivedAt' | 'resolve' | 'reject'>): Promise<LinliEvent> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ...p, receivedAt: this.now(), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private meta(key: string): number {
    return this.q.getMeta.get(key)?.value ?? 0;
  }

  private problem(msg: string, fields: Record<string, unknown>, level?: 'error' | 'warn' | 'info'): void {
    try {
      this.opts.onProblem?.(msg, fields, level);
    } catch {
      // Reporting must never break the buffer (a log write on a full disk).
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length) {
      const group = this.pending.splice(0, this.disk.isFull ? MAX_GROUP_FULL : MAX_GROUP);
      const valid: Pending[] = [];
      for (const p of group) {
        const problem = checkDraft(p.draft);
        if (problem) p.reject(new InternalError(`driver produced an invalid ${p.draft.kind} event: ${problem}`));
        else valid.push(p);
      }
      if (valid.length) this.commitGroup(valid);
    }
  }

  /** Commits a group; on a full disk telemetry gives way first, and alarms are refused last of all. */
  private commitGroup(group: Pending[]): void {
    const first = this.commitWithRelief(group);
    if ('outcome' in first) return this.settle(first.outcome);
    if (!isDiskFull(first.err)) {
      for (const p of group) p.reject(first.err);
      return;
    }
    const alarms = group.filter((p) => classOf(p) === 'alarm');
    if (!alarms.length || alarms.length === group.length) return this.refuse(group, 'disk_full', first.err);
    this.refuse(
      group.filter((p) => classOf(p) === 'telemetry'),
      'disk_full',
      first.err,
    );
    const second = this.commitWithRelief(alarms);
    if ('outcome' in second) return this.settle(second.outcome);
    this.refuse(alarms, 'disk_full', second.err);
  }

  private commitWithRelief(group: Pending[]): { outcome: Outcome } | { err: unknown } {
    let err: unknown = null;
    let mayRefuse = false;
    for (let attempt = 0; attempt < MAX_RELIEF; attempt++) {
      try {
        return { outcome: this.txn(() => admitGroup(group, mayRefuse, this.admission)) };
      } catch (e) {
        if (e instanceof NeedRoom) {
          // No telemetry left to make room: other files give way before anything is refused.
          if (!this.disk.makeRoom(e.bytes)) mayRefuse = true;
          continue;
        }
        err = e;
        if (!isDiskFull(e) || !this.disk.relieve(attempt, estimateBytes(group))) break;
      }
    }
    return { err };
  }

  private settle(outcome: Outcome): void {
    for (const a of outcome.admitted) a.p.resolve(a.event);
    if (outcome.refused.length) {
      this.noteRefused(outcome.refused, outcome.reason);
      const e = new BufferFullError(
        outcome.reason,
        outcome.reason === 'disk_full'
          ? 'the disk is full of alarms; event refused'
          : 'buffer full of alarms; event refused',
      );
      for (const p of outcome.refused) p.reject(e);
    }
    if (outcome.admitted.length)
      this.bus.emit(
        'append',
        outcome.admitted.map((a) => a.event),
      );
    if (this.disk.isFull) {
      // Fold each commit into the file at once while full: pages waiting in the WAL may need the file to
      // grow at the checkpoint, and that debt must never outgrow what the disk can still give.
      this.space.checkpoint('RESTART');
      this.checkDisk();
    }
    if (this.reporter.refusedSince && outcome.admitted.some((a) => !a.p.internal)) this.reporter.report(false);
  }

  /** Refused because the disk is full and nothing is left to free: counted in memory until a commit stores it. */
  private refuse(list: Pending[], reason: OverflowReason, cause: unknown): void {
    const counted = list.filter((p) => !p.internal);
    this.counts.noteRefusedUnsaved(
      counted.map((p) => ({ kind: p.draft.kind, cls: classOf(p) })),
      reason,
    );
    this.noteRefused(counted, reason);
    const e = new BufferFullError(reason, 'the disk is full and nothing is left to evict', cause);
    for (const p of list) p.reject(e);
  }

  private noteRefused(refused: Pending[], reason: OverflowReason): void {
    if (!refused.length) return;
    this.reporter.refusedSince = true;
    const alarms = refused.filter((p) => classOf(p) === 'alarm');
    if (!alarms.length) return;
    this.problem('BUFFER FULL: alarms refused', {
      reason,
      refusedAlarms: alarms.length,
      kinds: [...new Set(alarms.map((p) => p.draft.kind))],
      telemetryInBuffer: this.tally.telemetry,
    });
  }

  private txn<T>(fn: () => T): T {
    return bufferTxn(this.db, this.tally, this.counts, fn);
  }

  /** Evicts about `bytes` of the oldest telemetry in its own transaction, smaller ones if the disk refuses. */
  private evictCommitted(bytes: number): number {
    for (let want = bytes; want >= 4096; want = Math.floor(want / 4)) {
      try {
        const n = this.txn(() => this.evict.oldest(want));
        // The next transaction then starts at the beginning of the WAL the buffer already has.
        this.space.checkpoint('RESTART');
        return n;
      } catch (err) {
        if (!isDiskFull(err)) throw err;
      }
    }
    return 0;
  }

  private expire(): void {
    const expired = this.evict.expire(this.now() - this.maxAgeMs, (fn) => this.txn(fn));
    if (expired)
      this.problem('telemetry expired from the buffer', { count: expired, olderThanMs: this.maxAgeMs }, 'warn');
  }

  private checkDisk(force = false): void {
    if (!force && this.now() - this.lastDiskCheck < DISK_CHECK_MS) return;
    this.lastDiskCheck = this.now();
    this.disk.check();
  }
}

export type { OutboxOptions, OutboxStats } from './outbox-types.js';
