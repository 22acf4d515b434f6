import type { CityChanged, GatewayView, LinliEvent } from '@linli/contract';
import type { Socket } from 'socket.io-client';
import type { AlertView } from './alert-store.js';
import { AlertStore } from './alert-store.js';
import type { Api } from './api.js';
import { EventRing } from './event-store.js';
import { connectHub, type LinkState } from './hub-client.js';

export interface LiveHandlers {
  onLink: (s: LinkState) => void;
  onEvents: (fresh: LinliEvent[]) => void;
  onAlert: (a: AlertView, isNew: boolean) => void;
  onGateways: (views: GatewayView[]) => void;
  /** The hub's count for today arrived (on start, reconnect and every soft refresh). */
  onCounts?: () => void;
  /** Another city version became active (the page's area tree is the old one's). */
  onCityChanged?: (msg: CityChanged) => void;
}

/**
 * What arrives live, held in bounded memory: the last events (ring), alerts
 * (bounded store), the gateways' latest status. After a reconnect it asks
 * the hub for what it missed (recent events over the socket, alerts over REST),
 * and every few minutes it refreshes alerts softly (no page reload).
 */
export class Live {
  readonly events = new EventRing(2000);
  readonly alerts = new AlertStore(3000);
  gateways: GatewayView[] = [];
  /** Today's events in this viewer's area: the hub's count up to `countedTo`, plus live events after it. */
  eventsToday = 0;
  private counted = 0;
  private countedTo = 0;
  private liveSinceCount = 0;
  eventsReceived = 0;
  catchUps = 0;
  socket!: Socket;
  private today = new Date().setHours(0, 0, 0, 0);

  constructor(
    private readonly key: string,
    private readonly api: Api,
    private readonly h: LiveHandlers,
  ) {}

  start(softRefreshMs = 5 * 60_000): void {
    this.socket = connectHub(
      this.key,
      (events) => this.takeEvents(events),
      (s) => this.h.onLink(s),
      (views) => {
        this.gateways = views;
        this.h.onGateways(views);
      },
      {
        onAlert: (a) => this.takeAlert(a),
        onConnected: (reconnect) => void this.catchUp(reconnect),
        ...(this.h.onCityChanged ? { onCityChanged: this.h.onCityChanged } : {}),
      },
    );
    setInterval(() => void this.catchUp(true), softRefreshMs);
  }

  private takeEvents(events: LinliEvent[]): void {
    const fresh = this.events.add(events, Date.now());
    if (!fresh.length) return;
    const midnight = new Date().setHours(0, 0, 0, 0);
    if (midnight !== this.today) {
      this.today = midnight;
      this.counted = 0;
      this.countedTo = midnight;
      this.liveSinceCount = 0;
    }
    // Events the hub's count already holds (received before it was taken) are not counted twice.
    const after = Math.max(midnight, this.countedTo);
    for (const e of fresh) if (e.receivedAt >= after) this.liveSinceCount++;
    this.eventsToday = this.counted + this.liveSinceCount;
    this.eventsReceived += fresh.length;
    this.h.onEvents(fresh);
  }

  takeAlert(a: AlertView): void {
    const isNew = !this.alerts.get(a.id);
    if (this.alerts.upsert(a)) this.h.onAlert(a, isNew);
  }

  /** Today's count for this viewer's area, from the hub: what every screen of the area agrees on. */
  async refreshCount(): Promise<void> {
    const midnight = new Date().setHours(0, 0, 0, 0);
    const to = Date.now() + 1;
    const r = await this.api.get('/api/event-count', { from: midnight, to });
    this.today = midnight;
    this.counted = r.events;
    this.countedTo = r.to;
    this.liveSinceCount = 0;
    this.eventsToday = this.counted;
    this.h.onCounts?.();
  }

  /** Open alerts and today's closed ones, from the hub: what the socket may have missed. */
  async catchUp(reconnect: boolean): Promise<void> {
    void this.refreshCount().catch((err: unknown) =>
      console.warn('event count failed; will retry on the next refresh', err),
    );
    const since = Date.now() - 86_400_000;
    try {
      const [open, recent] = await Promise.all([
        this.api.get('/api/alerts', { states: 'raised,dispatched,acknowledged', limit: 2000 }),
        this.api.get('/api/alerts', { from: since, limit: 500 }),
      ]);
      for (const a of [...open.alerts, ...recent.alerts].reverse()) this.takeAlert(a);
      if (reconnect) this.catchUps++;
    } catch (err) {
      console.warn('alert catch-up failed; will retry on the next refresh', err);
    }
  }
}
