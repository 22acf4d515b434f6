import type { EventDraft } from '@linli/contract';
import type { Ballast } from './ballast.js';
import type { DiskSpace, Reclaimer } from './disk-space.js';
import type { ProblemLevel } from './outbox-types.js';

/** Room (free disk plus the buffer's own free pages) that counts as "the buffer works normally again". */
export const RECOVERY_HEADROOM = 2 * 1024 * 1024;
/** While full, the disk keeps this much for checkpoints (see room()). */
const PRESSURE_HEADROOM = 512 * 1024;
/** Rows share pages with some waste: an event of n bytes is counted as this many times n. */
const PAGE_FACTOR = 1.5;
/** Smallest eviction worth a transaction when the disk refused a write. */
const MIN_EVICT = 64 * 1024;

/** Thrown inside a transaction (which then rolls back) when a full disk leaves no room and no telemetry. */
export class NeedRoom extends Error {
  constructor(readonly bytes: number) {
    super('no room on a full disk');
  }
}

export interface DiskWatchDeps {
  ballast: Ballast;
  space: DiskSpace;
  /** Evicts about `bytes` of the oldest telemetry in its own transaction; returns rows evicted. */
  evict: (bytes: number) => number;
  telemetryLeft: () => boolean;
  bufferBytes: () => number;
  /** Enqueues an event the gateway raises about itself. */
  raise: (draft: EventDraft) => void;
  now: () => number;
  problem: (msg: string, fields: Record<string, unknown>, level?: ProblemLevel) => void;
  /** Called once the disk-full state has cleared (the buffer then reports what it counted). */
  onSpaceBack: () => void;
}

/**
 * The buffer's disk-full state and what it does about it. Entered when SQLite
 * says the disk is full; cleared as soon as the buffer has room to work
 * normally (free disk plus its own free pages, enough to restore the reserve),
 * with no frozen cap in between. Both transitions are logged and raised as
 * events for the hub (`gateway.disk_full`, `gateway.disk_ok`).
 *
 * Relief, in order, each step only when the one before gave nothing: release
 * the reserve (ballast), evict the oldest telemetry (growing each attempt),
 * then ask the other parts of the gateway to give back what they can (old
 * pictures). Only when all of that is gone is an alarm refused.
 */
export class DiskWatch {
  private full: { since: number } | null = null;
  private readonly reclaimers: Reclaimer[] = [];

  constructor(private readonly d: DiskWatchDeps) {}

  get isFull(): boolean {
    return this.full !== null;
  }

  addReclaimer(r: Reclaimer): () => void {
    this.reclaimers.push(r);
    return () => {
      const i = this.reclaimers.indexOf(r);
      if (i >= 0) this.reclaimers.splice(i, 1);
    };
  }

  /** Start-up: a configured reserve that cannot be created means the disk is already full. */
  start(): void {
    if (this.d.ballast.ensure(RECOVERY_HEADROOM) || !this.d.ballast.missing()) return;
    this.enter('the reserved space could not be created at start');
  }

  /**
   * The disk refused a write of about `incoming` bytes (attempt `attempt`).
   * True if something was freed and the write is worth retrying.
   */
  relieve(attempt: number, incoming: number): boolean {
    this.enter('SQLite reported the disk full');
    this.d.space.checkpoint('RESTART');
    if (this.d.ballast.release()) {
      this.d.problem('disk full: released the reserved space', { bufferBytes: this.d.bufferBytes() });
      return true;
    }
    if (this.d.telemetryLeft()) {
      const want = Math.max(MIN_EVICT, incoming * 2) * 2 ** Math.min(attempt, 20);
      if (this.d.evict(want) > 0) return true;
      // Not even an eviction fits in the WAL: other files must give way first.
    }
    for (const r of this.reclaimers) {
      let freed = 0;
      try {
        freed = r.reclaim();
      } catch (err) {
        this.d.problem('disk full: a reclaimer failed', { reclaimer: r.name, err: String(err) });
      }
      if (freed > 0) {
        this.d.problem('disk full: other files given back', { reclaimer: r.name, freed }, 'warn');
        return true;
      }
    }
    return false;
  }

  /**
   * While full: event bytes the buffer may still take, or Infinity when not
   * full. Its own free pages, plus half of what the disk has beyond a reserve:
   * a new page is written to the WAL and again into the file at the checkpoint,
   * and a checkpoint that cannot grow the file would leave the WAL stuck.
   */
  room(): number {
    if (!this.full) return Infinity;
    const disk = Math.max(0, (this.d.space.freeBytes() - PRESSURE_HEADROOM) / 2);
    return (this.d.space.freelistBytes() + disk) / PAGE_FACTOR;
  }

  /** While full: bytes of telemetry to evict before writing `incoming` bytes. */
  shortfall(incoming: number): number {
    const room = this.room();
    return incoming > room ? Math.ceil(incoming - room) : 0;
  }

  /**
   * A commit on a full disk found no telemetry left to make room: the other
   * parts give back files until `incoming` bytes fit. False if nothing was freed.
   */
  makeRoom(incoming: number): boolean {
    let any = false;
    for (const r of this.reclaimers) {
      while (this.shortfall(incoming) > 0) {
        let freed = 0;
        try {
          freed = r.reclaim();
        } catch (err) {
          this.d.problem('disk full: a reclaimer failed', { reclaimer: r.name, err: String(err) });
        }
        if (freed <= 0) break;
        any = true;
        this.d.problem('disk full: no telemetry left; gave back other files', { reclaimer: r.name, freed }, 'warn');
      }
    }
    return any;
  }

  /** Restores the reserve when it can and clears the full state once the buffer has room again. */
  check(): void {
    const { ballast, space } = this.d;
    if (!this.full && !ballast.missing()) return;
    if (ballast.missing()) {
      const free = space.freeBytes();
      // Hand the buffer's own free pages back only when they cover the reserve and leave room to work.
      if (free + space.freelistBytes() >= ballast.bytes + RECOVERY_HEADROOM) {
        if (free < ballast.bytes + RECOVERY_HEADROOM) space.returnFreePages(ballast.bytes + RECOVERY_HEADROOM - free);
        if (ballast.ensure(RECOVERY_HEADROOM))
          this.d.problem('reserved disk space restored', { ballastBytes: ballast.bytes }, 'info');
      }
    }
    if (!this.full) return;
    const free = space.freeBytes();
    if (free + space.freelistBytes() < ballast.deficit() + RECOVERY_HEADROOM) return;
    const fullForMs = this.d.now() - this.full.since;
    this.full = null;
    this.d.problem('disk space is back; buffer working normally', { freeBytes: free, fullForMs }, 'warn');
    this.d.raise({
      kind: 'gateway.disk_ok',
      deviceId: 'gateway',
      deviceTime: this.d.now(),
      payload: { freeBytes: finite(free), bufferBytes: this.d.bufferBytes(), fullForMs },
    });
    this.d.onSpaceBack();
  }

  private enter(why: string): void {
    if (this.full) return;
    this.full = { since: this.d.now() };
    const free = this.d.space.freeBytes();
    this.d.problem(`disk full: ${why}`, { freeBytes: free, bufferBytes: this.d.bufferBytes() });
    this.d.raise({
      kind: 'gateway.disk_full',
      deviceId: 'gateway',
      deviceTime: this.d.now(),
      payload: { freeBytes: finite(free), bufferBytes: this.d.bufferBytes() },
    });
  }
}

function finite(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
}
