import type { Grant } from './onvif-events.js';

/** Never start two PullMessages closer than this: cameras that answer at once when idle must not be hammered. */
export const PULL_FLOOR_MS = 1000;
/** Never renew (or resubscribe) more often than this, whatever the camera grants. */
export const RENEW_FLOOR_MS = 1000;
/** The long-poll Timeout sent with PullMessages unless the device config says otherwise. */
export const DEFAULT_PULL_WAIT_MS = 10_000;
/** What we ask for in CreatePullPointSubscription and Renew; the camera may grant less (some grant 5 s). */
export const ASK_SUBSCRIPTION_MS = 60_000;

/**
 * When to renew a subscription, on our clock: before the granted span runs
 * out, by a margin of a fifth of it (1 s to 10 s) to cover the round trip.
 * The span is the camera's own TerminationTime − CurrentTime, measured from
 * when our request left, so neither clock skew nor a slow answer makes us late.
 */
export function renewAt(g: Grant, askedMs = ASK_SUBSCRIPTION_MS): number {
  const granted = g.grantedMs ?? askedMs;
  const margin = Math.min(Math.max(granted * 0.2, 1000), 10_000);
  return g.sentAt + Math.max(granted - margin, RENEW_FLOOR_MS);
}

/**
 * How long the next PullMessages may ask the camera to wait: the configured
 * long-poll, cut so the answer is due before the renewal. 0 means "renew first"
 * (less than a whole second is left, and Timeout is sent in whole seconds).
 */
export function pullWaitMs(now: number, renewDue: number, configuredMs: number): number {
  const room = Math.min(configuredMs, renewDue - now);
  return room < 1000 ? 0 : Math.floor(room / 1000) * 1000;
}

/** How long to hold off before the next pull so pulls start at most once per floor. */
export function floorWaitMs(now: number, lastPullStart: number, floorMs = PULL_FLOOR_MS): number {
  return Math.max(0, lastPullStart + floorMs - now);
}
