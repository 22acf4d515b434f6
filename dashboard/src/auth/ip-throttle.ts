/**
 * Failed logins per client address in a sliding window: stops one machine
 * from guessing across many accounts (the per-account lockout stops the other
 * pattern). In memory, per hub node: a restart forgets it, which the
 * per-account lockout (in the database) does not.
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
