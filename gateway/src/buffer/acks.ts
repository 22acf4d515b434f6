import { isDiskFull } from './buffer-db.js';
import type { DiskSpace } from './disk-space.js';
import type { Tally } from './eviction.js';
import type { OutboxStatements } from './outbox-statements.js';

/** Sequences deleted per transaction when an acknowledgement meets a full disk (then a quarter, and so on). */
const STEP_ON_FULL_DISK = 512;

/**
 * Dropping what the hub acknowledged. A delete writes pages to the WAL too, so
 * on a full disk it is done in ever smaller steps that fit the WAL the buffer
 * already has, with a checkpoint between steps. Never throws for a full disk:
 * what stays goes with the next acknowledgement (the hub ignores a resend).
 */
export class Acks {
  constructor(
    private readonly q: OutboxStatements,
    private readonly tally: Tally,
    private readonly space: DiskSpace,
    private readonly txn: <T>(fn: () => T) => T,
    private readonly problem: (msg: string, fields: Record<string, unknown>) => void,
  ) {}

  /** Drops everything up to `seq`; returns how many events went. */
  through(seq: number): number {
    let removed = 0;
    let step = Infinity;
    for (;;) {
      const first = this.q.firstSeq.get()?.seq ?? null;
      const end = first === null || step === Infinity ? seq : Math.min(seq, first + step - 1);
      try {
        removed += this.txn(() => this.upTo(end));
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        this.space.checkpoint('RESTART');
        step = step === Infinity ? STEP_ON_FULL_DISK : Math.floor(step / 4);
        if (step >= 1) continue;
        this.problem('disk full: acknowledged events stay until the next acknowledgement', { seq });
        break;
      }
      if (end >= seq) break;
      this.space.checkpoint('RESTART');
    }
    return removed;
  }

  private upTo(end: number): number {
    const t = this.q.ackTelemetry.all(end);
    const a = this.q.ackAlarms.all(end);
    this.q.ackRanges.run(end);
    this.q.trimRange.run(end + 1, end, end);
    this.tally.depth -= t.length + a.length;
    this.tally.telemetry -= t.length;
    for (const r of t) this.tally.bytes -= r.bytes;
    for (const r of a) this.tally.bytes -= r.bytes;
    return t.length + a.length;
  }
}
