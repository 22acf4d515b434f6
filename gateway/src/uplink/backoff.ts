/** How the uplink spaces its connection attempts. */
export interface BackoffOptions {
  /** The first wait after a healthy connection ends is drawn from [0, baseMs). */
  baseMs: number;
  /** No wait is ever longer than this. */
  capMs: number;
  /** A connection that stayed online this long was healthy: the next wait starts again from baseMs. */
  healthyAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 10_000, healthyAfterMs: 10_000 };

/** Beyond this many failures base·2^n is above any sane cap; stop counting so the number stays finite. */
const MAX_EXPONENT = 30;

/**
 * Capped exponential backoff with full jitter: uniform in [0, min(cap, base·2^failures)).
 * Full jitter spreads a city's gateways over the whole window when a hub restarts,
 * instead of bringing them back in synchronised waves.
 */
export function backoffDelay(failures: number, o: Pick<BackoffOptions, 'baseMs' | 'capMs'>, random = Math.random) {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.min(Math.max(failures, 0), MAX_EXPONENT));
  return Math.floor(random() * ceiling);
}

/**
 * The uplink's reconnect policy: every ended connection or failed attempt asks
 * `next()` how long to wait. Failures accumulate until a connection has been
 * online for `healthyAfterMs`, so a hub that accepts and then kicks at once (a
 * duplicate identity, a failing hello) is retried ever more slowly, up to the cap,
 * while a link that ran fine for a while comes back at once after a cut.
 */
export class ReconnectBackoff {
  private failures = 0;
  private onlineSince: number | null = null;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** The hub answered hello: the link is up. */
  online(): void {
    this.onlineSince = this.now();
  }

  /** The connection ended or an attempt failed: how long to wait before the next attempt. */
  next(): number {
    if (this.onlineSince !== null && this.now() - this.onlineSince >= this.opts.healthyAfterMs) this.failures = 0;
    this.onlineSince = null;
    const delay = backoffDelay(this.failures, this.opts, this.random);
    this.failures = Math.min(this.failures + 1, MAX_EXPONENT);
    return delay;
  }

  /** Failures since the last healthy connection (for logs and status). */
  failureCount(): number {
    return this.failures;
  }
}
