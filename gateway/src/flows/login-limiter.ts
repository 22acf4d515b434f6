/** Failures allowed before a client must wait. */
const FREE_FAILURES = 5;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** A client's failures are forgotten after this long without one. */
const FORGET_MS = 60 * 60_000;
const MAX_CLIENTS = 10_000;

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/**
 * Slows password guessing on the editor and the status page: after five wrong
 * passwords from one address, that address must wait 30 s, doubling with
 * every further failure up to 15 min. A right password clears the count.
 */
export class LoginLimiter {
  private readonly clients = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this client must still wait; 0 when it may try. */
  retryAfter(client: string): number {
    const e = this.clients.get(client);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  failed(client: string): void {
    const now = this.now();
    let e = this.clients.get(client);
    if (!e || now - e.lastFailure > FORGET_MS) e = { failures: 0, lockedUntil: 0, lastFailure: now };
    e.failures += 1;
    e.lastFailure = now;
    if (e.failures >= FREE_FAILURES)
      e.lockedUntil = now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (e.failures - FREE_FAILURES));
    this.clients.delete(client);
    this.clients.set(client, e);
    // Bounded memory under a spray of addresses: drop the oldest entries.
    while (this.clients.size > MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
  }

  succeeded(client: string): void {
    this.clients.delete(client);
  }
}
