import type { Alert } from '@linli/contract';
import { OPEN_ALERT_STATES } from '@linli/contract/browser';

/** An alert as the hub sends it: the contract's `AlertSchema` (contract/src/rest/alerts.ts), checked on arrival. */
export type AlertView = Alert;

export const OPEN_STATES = OPEN_ALERT_STATES;

/**
 * Alerts the cockpit knows about, newest version wins (a catch-up after a
 * reconnect may repeat what the socket already sent). Bounded: closed
 * alerts are dropped oldest first once over capacity.
 */
export class AlertStore {
  private readonly byId = new Map<string, AlertView>();
  private list: AlertView[] = [];

  constructor(private readonly capacity = 3000) {}

  /** Returns true when the alert is new or newer than what was held. */
  upsert(a: AlertView): boolean {
    const old = this.byId.get(a.id);
    if (old && old.version >= a.version) return false;
    this.byId.set(a.id, a);
    if (this.byId.size > this.capacity) {
      const closed = [...this.byId.values()]
        .filter((x) => x.state === 'resolved' || x.state === 'suppressed')
        .sort((x, y) => x.updatedAt - y.updatedAt);
      const victims = closed.length ? closed : [...this.byId.values()].sort((x, y) => x.updatedAt - y.updatedAt);
      for (const v of victims.slice(0, this.byId.size - this.capacity)) this.byId.delete(v.id);
    }
    this.list = [...this.byId.values()];
    return true;
  }
  get(id: string): AlertView | undefined {
    return this.byId.get(id);
  }
  /** Stable identity until something changes (deck.gl re-uploads only then). */
  all(): readonly AlertView[] {
    return this.list;
  }
  open(): AlertView[] {
    return this.list.filter((a) => (OPEN_STATES as readonly string[]).includes(a.state));
  }
  get size(): number {
    return this.list.length;
  }
}
