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
  /**
   * The first connect's catch-up is in: recent events, open alerts, today's
   * count and the gateways. Until then a screen shows a partial picture (the
   * hub pushes gateway status only every few seconds), so it is not "ready".
   */
  synced = false;
  private recentTaken = false;
  private caughtUp = false;
  private gatewaysPushed = 0;
  private today = new Date().setHours(0, 0, 0, 0);

  constructor(
    private readonly key: string,
    private readonly api: Api,
    private readonly h: LiveHandlers,
  ) {}

  start(softRefreshMs = 5 * 60_000): void {
    this.socket = connectHub(
      this.key,
      (events, past) => this.takeEvents(events, past),
      (s) => this.h.onLink(s),
      (views) => {
        this.gatewaysPushed++;
        this.setGateways(views);
      },
      {
        onAlert: (a) => this.takeAlert(a),
        onConnected: (reconnect) => void this.catchUp(reconnect),
        onRecent: () => {
          this.recentTaken = true;
          this.checkSynced();
        },
        ...(this.h.onCityChanged ? { onCityChanged: this.h.onCityChanged } : {}),
      },
    );
    setInterval(() => void this.catchUp(true), softRefreshMs);
  }

  private setGateways(views: GatewayView[]): void {
    this.gateways = views;
    this.h.onGateways(views);
  }

  private checkSynced(): void {
    this.synced ||= this.recentTaken && this.caughtUp;
  }

  private takeEvents(events: LinliEvent[], past: boolean): void {
    const fresh = this.events.add(events, Date.now(), past);
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

  /**
   * Open alerts and today's closed ones, today's count and the gateways, from
   * the hub: what the socket may have missed, and what it would only push on
   * its next status round.
   */
  async catchUp(reconnect: boolean): Promise<void> {
    const since = Date.now() - 86_400_000;
    const pushedBefore = this.gatewaysPushed;
    const gateways = this.api.get('/api/gateways').then(
      // A push that arrived meanwhile is newer than this answer.
      (r) => void (this.gatewaysPushed === pushedBefore && this.setGateways(r.gateways)),
      (err: unknown) => console.warn('gateway status not read; the next push brings it', err),
    );
    const count = this.refreshCount().catch((err: unknown) =>
      console.warn('event count failed; will retry on the next refresh', err),
    );
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
    await Promise.all([gateways, count]);
    this.caughtUp = true;
    this.checkSynced();
  }
}
