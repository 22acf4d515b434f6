import { FieldFault } from '@linli/contract';

type Turn = { run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

/**
 * Runs jobs one at a time, in arrival order, with a quiet gap between them:
 * what a half-duplex medium needs. Each device keeps at most one job queued
 * (its poll loop awaits it), so arrival order is round-robin across devices.
 */
export class TurnQueue {
  private readonly queue: Turn[] = [];
  private running = false;
  private closedBecause: string | null = null;

  constructor(private readonly gapMs: number) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closedBecause) return Promise.reject(new FieldFault('LINE_CLOSED', this.closedBecause));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      void this.drain();
    });
  }

  /** Refuses queued and future jobs. */
  close(reason: string): void {
    this.closedBecause = reason;
    for (const t of this.queue.splice(0)) t.reject(new FieldFault('LINE_CLOSED', reason));
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let t = this.queue.shift(); t; t = this.queue.shift()) {
        await t.run().then(t.resolve, t.reject);
        if (this.queue.length && this.gapMs > 0) await new Promise((r) => setTimeout(r, this.gapMs));
      }
    } finally {
      this.running = false;
    }
  }
}
