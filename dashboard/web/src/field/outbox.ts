import { type ActionResult, applyResults, enqueue, nextBatch, type QueueState } from './queue.js';
import type { IdbQueueStore } from './idb-store.js';
import { newClientId } from './ids.js';

export interface OutboxView {
  waiting: number;
  sending: boolean;
  /** The latest answers the worker should read (refusals), newest first. */
  notices: ActionResult[];
}

/**
 * The queue, its storage and the sending loop: one batch at a time, in
 * order, whenever the network is there (on `online`, after each new action,
 * and every 15 s). A failed send leaves everything queued.
 */
export class Outbox {
  private sending = false;
  private notices: ActionResult[] = [];
  private listeners: ((v: OutboxView) => void)[] = [];
  private onApplied: ((r: ActionResult) => void)[] = [];

  constructor(
    private state: QueueState,
    private readonly store: IdbQueueStore,
    private readonly send: (deviceId: string, actions: unknown[]) => Promise<{ results: ActionResult[] }>,
  ) {
    addEventListener('online', () => void this.flush());
    setInterval(() => void this.flush(), 15_000);
  }

  view(): OutboxView {
    return { waiting: this.state.items.length, sending: this.sending, notices: this.notices };
  }

  subscribe(fn: (v: OutboxView) => void): void {
    this.listeners.push(fn);
    fn(this.view());
  }

  /** Called with each applied action (e.g. to refresh the task list). */
  whenApplied(fn: (r: ActionResult) => void): void {
    this.onApplied.push(fn);
  }

  /** Queues an action (stored before this resolves) and tries to send. */
  async add(action: { type: string; [field: string]: unknown }): Promise<void> {
    const { state, item } = enqueue(this.state, action, Date.now(), newClientId());
    await this.store.add(item, state);
    this.state = state;
    this.emit();
    void this.flush();
  }

  async flush(): Promise<void> {
    if (this.sending || !this.state.items.length || !navigator.onLine) return;
    this.sending = true;
    this.emit();
    try {
      while (this.state.items.length) {
        const batch = nextBatch(this.state);
        const reply = await this.send(this.state.deviceId, batch);
        const r = applyResults(this.state, reply.results);
        await this.store.settle(
          r.done.map((d) => d.clientId),
          r.state,
        );
        this.state = r.state;
        for (const d of r.done) {
          if (d.status === 'refused') this.notices = [d, ...this.notices].slice(0, 10);
          else for (const fn of this.onApplied) fn(d);
        }
        this.emit();
        if (!r.done.length && !r.renumbered) break;
      }
    } catch {
      // Offline or the hub is down: everything stays queued for the next try.
    } finally {
      this.sending = false;
      this.emit();
    }
  }

  private emit(): void {
    const v = this.view();
    for (const fn of this.listeners) fn(v);
  }
}
