/**
 * Per-gateway token buckets: one for messages, one for events. A compound's
 * normal traffic is under one event a second; a replay after days offline
 * runs as fast as the hub commits (tens of thousands a second), and must stay
 * fast: a week's buffer should be home in minutes. A gateway beyond its buckets is answered
 * RATE_LIMITED (its outbox keeps everything and resends later), so one broken
 * or hostile gateway cannot take the hub's storage away from the others.
 * Limits are per node: a gateway talks to one node at a time.
 */
export interface GatewayRateLimits {
  /** Sustained events per second per gateway (default 100,000: above what a node commits, so a replay after an outage is never slowed by it). */
  eventsPerSecond: number;
  /** Sustained messages per second per gateway (default 1,000: a pipelined replay sends a few hundred batches a second). */
  messagesPerSecond: number;
  /** Seconds of burst each bucket holds (default 2). */
  burstSeconds: number;
}

export const DEFAULT_GATEWAY_RATE: GatewayRateLimits = {
  eventsPerSecond: 100_000,
  messagesPerSecond: 1_000,
  burstSeconds: 2,
};

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly rate: number,
    private readonly cap: number,
    now: number,
  ) {
    this.tokens = cap;
    this.at = now;
  }
  take(n: number, now: number): boolean {
    this.tokens = Math.min(this.cap, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (n > this.tokens) return false;
    this.tokens -= n;
    return true;
  }
  /** Milliseconds until `n` tokens are there. */
  waitFor(n: number): number {
    return Math.ceil((Math.max(0, Math.min(n, this.cap) - this.tokens) / this.rate) * 1000);
  }
}

export class GatewayRateLimiter {
  private readonly buckets = new Map<string, { msgs: Bucket; events: Bucket; refused: number }>();

  constructor(private readonly limits: GatewayRateLimits = DEFAULT_GATEWAY_RATE) {}

  /** Null if the message may go ahead, else how long the gateway should wait (ms). */
  check(gatewayId: string, events: number, now = Date.now()): number | null {
    let b = this.buckets.get(gatewayId);
    if (!b) {
      const { eventsPerSecond: e, messagesPerSecond: m, burstSeconds: s } = this.limits;
      b = { msgs: new Bucket(m, m * s, now), events: new Bucket(e, e * s, now), refused: 0 };
      this.buckets.set(gatewayId, b);
    }
    if (!b.msgs.take(1, now)) return (b.refused++, b.msgs.waitFor(1));
    if (events && !b.events.take(events, now)) return (b.refused++, b.events.waitFor(events));
    return null;
  }

  refused(gatewayId: string): number {
    return this.buckets.get(gatewayId)?.refused ?? 0;
  }

  forget(gatewayId: string): void {
    this.buckets.delete(gatewayId);
  }
}
