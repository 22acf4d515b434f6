import type { DeviceDefinition, PointValues } from './definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from './device-types.js';

/** Consecutive failed polls before a device is declared offline (one lost reply is noise, three is a fault). */
const OFFLINE_AFTER = 3;
const MAX_BACKOFF_MS = 30_000;
/** A failed transaction is retried once at once (a garbled reply on RS-485 is common) before it counts. */
const RETRIES = 1;

/**
 * The poll loop every field-bus device shares: read, apply the definition's
 * rules, emit; online/offline once per change (no flapping storms); backoff
 * while offline. Subclasses say how to read and which line they hold.
 */
export abstract class PollingDevice implements DeviceHandle {
  readonly id: string;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private failures = 0;
  private isOnline: boolean | null = null;
  private previous: PointValues | null = null;
  private readonly memory: Record<string, number> = {};

  constructor(
    protected readonly def: DeviceDefinition,
    protected readonly cfg: DeviceConfig,
    protected readonly ctx: DeviceContext,
    private readonly units: Record<string, string>,
  ) {
    this.id = cfg.id;
  }

  /** Reads every point once; throws on a transport fault or a reply that cannot be trusted. */
  protected abstract read(): Promise<PointValues>;
  protected abstract acquire(): void;
  protected abstract release(): Promise<void>;

  start(): void {
    this.acquire();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.release();
  }

  online(): boolean | null {
    return this.isOnline;
  }

  latest(): PointValues | null {
    return this.previous;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce().finally(() => {
        this.running = null;
      });
    }, ms);
  }

  private async readWithRetry(): Promise<PointValues> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.read();
      } catch (err) {
        if (attempt >= RETRIES || this.stopped) throw err;
      }
    }
  }

  private async pollOnce(): Promise<void> {
    let values: PointValues;
    try {
      values = await this.readWithRetry();
    } catch (err) {
      await this.onFailure(err);
      const backoff = Math.min(this.cfg.pollMs * 2 ** Math.max(0, this.failures - OFFLINE_AFTER), MAX_BACKOFF_MS);
      this.schedule(Math.max(this.cfg.pollMs, backoff));
      return;
    }
    this.failures = 0;
    if (this.isOnline !== true) {
      this.isOnline = true;
      this.ctx.log.info('device online');
      await this.emitSafe({ kind: 'device.online', deviceId: this.id, deviceTime: Date.now(), payload: {} });
    }
    const now = Date.now();
    for (const rule of this.def.rules) {
      const drafts = rule({
        deviceId: this.id,
        now,
        values,
        previous: this.previous,
        units: this.units,
        memory: this.memory,
        options: this.cfg.options ?? {},
      });
      for (const draft of drafts) await this.emitSafe(draft);
    }
    this.previous = values;
    this.schedule(this.cfg.pollMs);
  }

  private async onFailure(err: unknown): Promise<void> {
    this.failures++;
    const reason = err instanceof Error ? err.message : String(err);
    if (this.failures >= OFFLINE_AFTER && this.isOnline !== false) {
      this.isOnline = false;
      this.ctx.log.warn('device offline', { reason });
      await this.emitSafe({
        kind: 'device.offline',
        deviceId: this.id,
        deviceTime: Date.now(),
        payload: { reason: reason.slice(0, 200) },
      });
    }
  }

  /** A buffer that refuses an event is the gateway's problem to report; the poll loop keeps going. */
  private async emitSafe(draft: Parameters<DeviceContext['emit']>[0]): Promise<void> {
    try {
      await this.ctx.emit(draft);
    } catch (err) {
      this.ctx.log.warn('event not buffered', { kind: draft.kind, error: String(err) });
    }
  }
}
