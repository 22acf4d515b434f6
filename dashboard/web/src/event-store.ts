import type { LinliEvent } from '@linli/contract';

/**
 * The cockpit's memory of events: a bounded ring (a wall display runs for
 * weeks), deduplicated by id so a reconnect's catch-up never doubles a dot.
 */
export class EventRing {
  private readonly items: LinliEvent[] = [];
  private readonly ids = new Set<string>();
  private snapshot: readonly LinliEvent[] = [];
  readonly arrivedAt = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /**
   * Adds new events; returns those not seen before. A live event arrives `now`;
   * one from a catch-up (`past`: the hub's recent events after a connect) arrived
   * when the hub received it, so a page opened on a busy area does not pulse a
   * day's last 200 events for a minute as if they were new (and redraw at 10 fps
   * while they do).
   */
  add(events: readonly LinliEvent[], now: number, past = false): LinliEvent[] {
    const fresh: LinliEvent[] = [];
    for (const e of events) {
      if (this.ids.has(e.id)) continue;
      this.ids.add(e.id);
      this.arrivedAt.set(e.id, past ? Math.min(now, e.receivedAt) : now);
      this.items.push(e);
      fresh.push(e);
    }
    while (this.items.length > this.capacity) {
      const old = this.items.shift()!;
      this.ids.delete(old.id);
      this.arrivedAt.delete(old.id);
    }
    if (fresh.length) this.snapshot = this.items.slice();
    return fresh;
  }

  /**
   * The current events as an array that changes identity only when its content
   * does: deck.gl recomputes attributes when `data` is a new object, and only then.
   */
  all(): readonly LinliEvent[] {
    return this.snapshot;
  }
}
