/** Told about every listener that threw or rejected: which component, which event, what. */
export type ListenerErrorHandler = (component: string, event: string, err: unknown) => void;

type Listener<A extends unknown[]> = { component: string; fn: (...args: A) => unknown };

/**
 * A typed event bus whose listeners are isolated (zigbee2mqtt's EventBus is
 * the model): `emit` calls every listener, and one that throws or returns a
 * rejected promise is reported as `<component>/<event>` and skipped, so a
 * failing subscriber can never abort the emitter's work (a buffer commit) or
 * the process. Listeners registered during an emit are called from the next one.
 */
export class EventBus<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Listener<never>[]>();

  constructor(private readonly onError: ListenerErrorHandler) {}

  /** Subscribes `component`'s listener to `event`; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, component: string, fn: (...args: Events[K]) => unknown): () => void {
    const entry = { component, fn } as unknown as Listener<never>;
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), entry]);
    return () => {
      const list = this.listeners.get(event) ?? [];
      this.listeners.set(
        event,
        list.filter((l) => l !== entry),
      );
    };
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    // The array is replaced (never mutated) on subscribe/unsubscribe, so iterating it is safe.
    for (const l of this.listeners.get(event) ?? []) {
      try {
        const r = (l.fn as (...a: Events[K]) => unknown)(...args);
        if (isThenable(r)) r.then(undefined, (err: unknown) => this.report(l.component, event, err));
      } catch (err) {
        this.report(l.component, event, err);
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  private report(component: string, event: keyof Events, err: unknown): void {
    try {
      this.onError(component, String(event), err);
    } catch {
      // The error reporter itself failed (a log write on a full disk): nothing more can be done here.
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
