/**
 * A fixed-window counter per key (the caller's IP): enough to make guessing
 * enrollment codes hopeless without keeping state beyond one window.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt; returns the ms to wait when over the limit, else 0. */
  hit(key: string, now: number): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      // Old windows are dropped as they are replaced; sweep the rest now and then so the map stays small.
      if (this.windows.size > 10_000)
        for (const [k, v] of this.windows) if (now - v.start >= this.windowMs) this.windows.delete(k);
    }
    w.count += 1;
    return w.count > this.limit ? w.start + this.windowMs - now : 0;
  }
}
