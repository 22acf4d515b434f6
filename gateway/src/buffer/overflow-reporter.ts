import type { EventDraft, LinliEvent, Location } from '@linli/contract';
import type { Pending } from './outbox-types.js';
import type { OverflowCounts } from './overflow-counts.js';

type Push = (p: Omit<Pending, 'receivedAt' | 'resolve' | 'reject'>) => Promise<LinliEvent>;

/**
 * The events the buffer raises about itself: `gateway.buffer_full` with the
 * counts the hub has not been told, and the disk-full transitions. They go
 * through the buffer like any event (so they are as durable and as exactly
 * delivered), marked internal so a refused report never counts itself.
 */
export class OverflowReporter {
  /** A report is waiting for its commit: only one at a time, or two could carry the same counts. */
  private queued = false;
  /** Something was refused since the last report was stored. */
  refusedSince: boolean;
  /** A report of everything (evictions too) was asked for while another was waiting. */
  private wantAll = false;

  constructor(
    private readonly counts: OverflowCounts,
    private readonly location: Location | undefined,
    private readonly push: Push,
    private readonly now: () => number,
  ) {
    this.refusedSince = counts.hasRefusals();
  }

  /**
   * Raises `gateway.buffer_full` with every count not yet reported (after a
   * refusal, or with `all` when the disk-full state ends). The report clears
   * exactly what it carries in the transaction that stores it; if it is
   * refused, the counts stay stored for the next chance.
   */
  report(all: boolean): void {
    if (!this.location) return;
    all ||= this.wantAll;
    if (this.queued) {
      this.wantAll = all;
      return;
    }
    if (!(all ? this.counts.hasAny() : this.counts.hasRefusals())) return;
    const report = this.counts.report();
    if (!report) return;
    this.queued = true;
    this.refusedSince = false;
    this.wantAll = false;
    this.push({
      draft: { kind: 'gateway.buffer_full', deviceId: 'gateway', deviceTime: this.now(), payload: report.payload },
      location: this.location,
      internal: true,
      inTx: () => this.counts.clearInTx(report),
    }).then(
      () => {
        this.queued = false;
        // What happened while this report waited goes in the next one.
        if (this.refusedSince || this.wantAll) this.report(this.wantAll);
      },
      () => {
        // Still no room: the next acknowledgement, upkeep or commit tries again.
        this.queued = false;
        this.refusedSince = true;
        this.wantAll ||= all;
      },
    );
  }

  /** An event about the gateway itself (a disk transition); one the disk will not take is only logged. */
  raise(draft: EventDraft): void {
    if (!this.location) return;
    // The report is retried from its counts on the next overflow; a refused report must not fail the append that triggered it.
    this.push({ draft, location: this.location, internal: true }).catch(() => {});
  }
}
