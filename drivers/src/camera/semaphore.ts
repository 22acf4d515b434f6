/** Bounds how many of something run at once (ffmpeg processes per gateway); waiters are served in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit ${limit} must be ≥ 1`);
  }

  /** Runs `fn` when a slot is free; the slot is released however `fn` ends. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Slots in use and callers waiting (for health and tests). */
  stats(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
