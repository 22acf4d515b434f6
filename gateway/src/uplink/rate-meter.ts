/** Events per second over a sliding window of one-second buckets. */
export class RateMeter {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly windowSec = 10) {}

  add(n: number, now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    this.buckets.set(sec, (this.buckets.get(sec) ?? 0) + n);
    for (const k of this.buckets.keys()) if (k <= sec - this.windowSec) this.buckets.delete(k);
  }

  rate(now = Date.now()): number {
    const sec = Math.floor(now / 1000);
    let total = 0;
    for (const [k, v] of this.buckets) if (k > sec - this.windowSec) total += v;
    return total / this.windowSec;
  }
}
