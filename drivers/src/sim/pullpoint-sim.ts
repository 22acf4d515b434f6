import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import * as soap from './onvif-soap.js';

/** How the simulated camera's event service behaves; the defaults are a well-behaved camera. */
export interface PullPointBehaviour {
  /** What CreatePullPointSubscription and Renew grant, whatever is asked (some cameras grant 5 s). */
  grantMs?: number;
  /** 'reject': Renew is answered with a SOAP fault, as some cameras do. */
  renew?: 'accept' | 'reject';
  /** Longest a PullMessages is held when nothing is pending; 0 answers at once, as many real cameras do. */
  maxPullWaitMs?: number;
}

/** One request the service saw, with the subscription's real expiry before it was answered. */
export interface PullPointCall {
  action: 'create' | 'pull' | 'renew' | 'unsubscribe';
  at: number;
  /** The subscription's expiry (real clock) when the request arrived; null for create or an unknown one. */
  expiredAt: number | null;
  /** PullMessages: the Timeout (ms) and MessageLimit sent. */
  timeoutMs?: number;
  limit?: number;
  refused?: boolean;
}

interface Subscription {
  id: string;
  until: number;
  queue: soap.SimNotification[];
  waiter: (() => void) | null;
}

export const PULLPOINT_ACTIONS = new Set(['CreatePullPointSubscription', 'PullMessages', 'Renew', 'Unsubscribe']);

const DEFAULT_GRANT_MS = 120_000;
/** Calls kept for tests to read; older ones are dropped so a long run stays bounded. */
const MAX_CALLS = 10_000;

/** ISO 8601 duration in seconds (PT10S, PT1M30S) as ms; null when absent or not a duration. */
function durationMs(s: string | undefined): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(s?.trim() ?? '');
  if (!m || s!.trim() === 'PT') return null;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/**
 * The PullPoint part of a simulated camera: subscriptions, PullMessages
 * honouring Timeout (capped) and MessageLimit, Renew and Unsubscribe. Times
 * on the wire are on the camera's clock (`now()`), which tests may skew.
 */
export class PullPointService {
  private readonly subs = new Map<string, Subscription>();
  readonly calls: PullPointCall[] = [];

  constructor(
    private readonly b: PullPointBehaviour,
    private readonly base: () => string,
    /** The camera's clock offset from ours (ms). */
    private readonly skewMs: number,
  ) {}

  count(action: PullPointCall['action']): number {
    return this.calls.filter((c) => c.action === action).length;
  }

  size(): number {
    return this.subs.size;
  }

  close(): void {
    for (const s of this.subs.values()) s.waiter?.();
    this.subs.clear();
  }

  inject(n: soap.SimNotification): void {
    for (const s of this.subs.values()) {
      s.queue.push(n);
      s.waiter?.();
    }
  }

  private cam(t = Date.now()): Date {
    return new Date(t + this.skewMs);
  }

  private record(c: PullPointCall): void {
    this.calls.push(c);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  /** Answers one PullPoint request (the actions in PULLPOINT_ACTIONS). */
  async handle(
    action: string,
    url: string,
    xml: string,
    reply: (status: number, body: string) => void,
    res: ServerResponse,
  ): Promise<void> {
    const grant = this.b.grantMs ?? DEFAULT_GRANT_MS;
    const now = Date.now();
    switch (action) {
      case 'CreatePullPointSubscription': {
        const id = randomBytes(6).toString('hex');
        this.subs.set(id, { id, until: now + grant, queue: [], waiter: null });
        this.record({ action: 'create', at: now, expiredAt: null });
        const address = `${this.base()}/onvif/pullpoint/${id}`;
        return reply(200, soap.pullPointCreated(address, this.cam(now), this.cam(now + grant)));
      }
      case 'Renew': {
        const sub = this.find(url);
        const refused = !sub || this.b.renew === 'reject';
        this.record({ action: 'renew', at: now, expiredAt: sub?.until ?? null, refused });
        if (!sub) return reply(400, soap.fault('ter:InvalidArgVal', 'unknown subscription'));
        if (refused) return reply(400, soap.fault('ter:ActionNotSupported', 'Renew is not supported'));
        sub.until = now + grant;
        return reply(200, soap.renewed(this.cam(now), this.cam(sub.until)));
      }
      case 'Unsubscribe': {
        const sub = this.find(url);
        this.record({ action: 'unsubscribe', at: now, expiredAt: sub?.until ?? null });
        if (sub) {
          sub.waiter?.();
          this.subs.delete(sub.id);
        }
        return reply(200, soap.unsubscribed());
      }
      case 'PullMessages':
        return this.pull(url, xml, reply, res);
    }
  }

  private find(url: string): Subscription | undefined {
    const id = /\/onvif\/pullpoint\/([0-9a-f]+)/.exec(url)?.[1];
    const sub = id ? this.subs.get(id) : undefined;
    if (sub && sub.until < Date.now()) {
      this.subs.delete(sub.id);
      return undefined;
    }
    return sub;
  }

  private async pull(
    url: string,
    xml: string,
    reply: (status: number, body: string) => void,
    res: ServerResponse,
  ): Promise<void> {
    const sub = this.find(url);
    const limit = Number(/<(?:\w+:)?MessageLimit>(\d+)</.exec(xml)?.[1] ?? 10);
    const asked = durationMs(/<(?:\w+:)?Timeout>([^<]*)</.exec(xml)?.[1]);
    this.record({
      action: 'pull',
      at: Date.now(),
      expiredAt: sub?.until ?? null,
      ...(asked !== null ? { timeoutMs: asked } : {}),
      limit,
      refused: !sub,
    });
    if (!sub) return reply(400, soap.fault('ter:InvalidArgVal', 'unknown or expired subscription'));
    const hold = Math.min(asked ?? 1000, this.b.maxPullWaitMs ?? 1000);
    if (!sub.queue.length && hold > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, hold);
        sub.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
        res.once('close', sub.waiter);
      });
      sub.waiter = null;
    }
    const batch = sub.queue.splice(0, Math.max(1, limit));
    reply(200, soap.messages(batch, this.cam(), this.cam(sub.until)));
  }
}
