import type { DeviceLog } from '../device-types.js';
import { unanswered } from './camera-error.js';
import type { OnvifClient } from './onvif-client.js';
import { createPullPoint, type PullPoint, pullMessages, renew, unsubscribe } from './onvif-events.js';
import {
  ASK_SUBSCRIPTION_MS,
  floorWaitMs,
  PULL_FLOOR_MS,
  pullWaitMs,
  RENEW_FLOOR_MS,
  renewAt,
} from './pull-schedule.js';

export interface PumpHooks {
  onMessage(msg: unknown): Promise<void>;
  log: DeviceLog;
  /** False once the camera's session is over (stop or reconnect). */
  alive(): boolean;
  /** A sleep the camera cuts short when the session ends. */
  sleep(ms: number): Promise<void>;
}

export interface PumpOptions {
  /** The long-poll Timeout sent with each PullMessages. */
  waitMs: number;
  /** MessageLimit: at most this many notifications per answer. */
  limit: number;
  /** The usual request timeout (on top of the long-poll for PullMessages). */
  timeoutMs: number;
  floorMs?: number;
}

/** How the pull has gone, for tests and the device's status. */
export interface PumpStats {
  pulls: number;
  renewals: number;
  renewRefusals: number;
  subscriptions: number;
  resubscriptions: number;
}

export type PumpState = 'starting' | 'pulling' | 'retrying' | 'unsupported';

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60_000;
/** A refusal that means "this camera has no PullPoint", not "try again". */
export const NOT_SUPPORTED = /ActionNotSupported|not supported|NotImplemented|not implemented/i;

/**
 * One camera's PullPoint: subscribe, long-poll PullMessages (never more than
 * one per floor), renew from the granted TerminationTime, and resubscribe
 * when the camera refuses a Renew or forgets the subscription. Only a camera
 * that does not answer at all ends the session (the error is rethrown); a
 * refusal never does, so the device does not flap offline over it.
 */
export class PullPointPump {
  readonly stats: PumpStats = { pulls: 0, renewals: 0, renewRefusals: 0, subscriptions: 0, resubscriptions: 0 };
  state: PumpState = 'starting';
  private pp: PullPoint | null = null;
  private renewDue = 0;
  private lastCreate = -Infinity;
  private saidRenewRefused = false;

  constructor(
    private readonly client: OnvifClient,
    private readonly o: PumpOptions,
    private readonly h: PumpHooks,
  ) {}

  /** Runs until the session ends; resolves 'unsupported' at once for a camera without PullPoint events. */
  async run(): Promise<'stopped' | 'unsupported'> {
    if (!this.client.hasEventService()) return (this.state = 'unsupported');
    try {
      await this.subscribe();
    } catch (err) {
      if (unanswered(err) || !this.h.alive()) throw err;
      if (NOT_SUPPORTED.test((err as Error).message)) return (this.state = 'unsupported');
      await this.resubscribe(err);
    }
    let lastPull = -Infinity;
    while (this.h.alive()) {
      const now = Date.now();
      if (now >= this.renewDue) {
        await this.renewOrResubscribe();
        continue;
      }
      const hold = floorWaitMs(now, lastPull, this.o.floorMs ?? PULL_FLOOR_MS);
      const wait = pullWaitMs(now, this.renewDue, this.o.waitMs);
      if (hold > 0 || wait === 0) {
        await this.h.sleep(hold > 0 ? Math.min(hold, this.renewDue - now) : this.renewDue - now);
        continue;
      }
      lastPull = now;
      this.stats.pulls++;
      let messages: unknown[];
      try {
        ({ messages } = await pullMessages(this.client, this.pp!, {
          waitMs: wait,
          limit: this.o.limit,
          timeoutMs: this.o.timeoutMs,
        }));
      } catch (err) {
        if (!this.h.alive()) break;
        if (unanswered(err)) throw err;
        // The camera forgot the subscription (expired, rebooted service): take a new one.
        await this.resubscribe(err);
        continue;
      }
      for (const m of messages) if (this.h.alive()) await this.h.onMessage(m);
    }
    return 'stopped';
  }

  private async subscribe(): Promise<void> {
    // However the camera answers, subscriptions are taken at most once per floor.
    const hold = this.lastCreate + RENEW_FLOOR_MS - Date.now();
    if (hold > 0) await this.h.sleep(hold);
    this.lastCreate = Date.now();
    const pp = await createPullPoint(this.client, ASK_SUBSCRIPTION_MS, this.o.timeoutMs);
    this.pp = pp;
    this.renewDue = renewAt(pp);
    this.stats.subscriptions++;
    this.state = 'pulling';
  }

  private async renewOrResubscribe(): Promise<void> {
    try {
      const g = await renew(this.client, this.pp!, ASK_SUBSCRIPTION_MS, this.o.timeoutMs);
      this.renewDue = renewAt(g);
      this.stats.renewals++;
    } catch (err) {
      if (unanswered(err) || !this.h.alive()) throw err;
      this.stats.renewRefusals++;
      if (!this.saidRenewRefused) {
        this.saidRenewRefused = true;
        this.h.log.warn('camera refuses Renew; taking a new subscription each time instead', {
          reason: String((err as Error).message).slice(0, 200),
        });
      }
      await this.resubscribe(null);
    }
  }

  /** A new subscription in place of the old one, retried with back-off while the camera refuses. */
  private async resubscribe(why: unknown): Promise<void> {
    const old = this.pp;
    this.pp = null;
    // Politeness: cameras hold few subscriptions. A failure here changes nothing.
    if (old) await unsubscribe(this.client, old, this.o.timeoutMs).catch(() => {});
    let delay = RETRY_MIN_MS;
    let reason = why;
    while (this.h.alive()) {
      if (reason) {
        if (this.state !== 'retrying')
          this.h.log.warn('camera events: subscription lost, retrying', {
            reason: String((reason as Error).message).slice(0, 200),
          });
        this.state = 'retrying';
      }
      try {
        await this.subscribe();
        this.stats.resubscriptions++;
        return;
      } catch (err) {
        if (unanswered(err) || !this.h.alive()) throw err;
        reason = err;
        await this.h.sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  }
}
