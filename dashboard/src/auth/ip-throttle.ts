/**
 * Failed logins per client address in a sliding window: stops one machine
 * from guessing across many accounts (the per-account lockout stops the other
 * pattern). In memory, per hub node, on purpose: a restart forgets it, and
 * with several nodes behind a balancer each counts only the attempts it saw
 * (so one address gets up to `limit` per node). That is accepted because the
 * per-account lockout, the control that matters, lives in the database and
 * every node agrees on it; this only slows down spraying across accounts.
 * The address is the real client's: behind a balancer on the hub's
 * `--trusted-proxy` list it comes from X-Forwarded-For (http/client-ip.ts),
 * otherwise all clients would share the balancer's and lock each other out.
 */
export class IpThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 15 * 60_000,
  ) {}

  blocked(ip: string, now: number): number | null {
    const list = this.prune(ip, now);
    return list.length >= this.limit ? list[0]! + this.windowMs - now : null;
  }

  fail(ip: string, now: number): void {
    const list = this.prune(ip, now);
    list.push(now);
    this.failures.set(ip, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private prune(ip: string, now: number): number[] {
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(ip, list);
    else this.failures.delete(ip);
    return list;
  }
}
