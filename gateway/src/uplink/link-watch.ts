import type { Logger } from '../log.js';

/** What the gateway knows about its link to the hub, for the local page, `linli-gateway status` and the hub. */
export interface LinkReport {
  /** The hub's address (origin only: never a credential). */
  hub: string;
  /** Why the link is down, or why it last went down; null if it never failed. */
  lastError: string | null;
  /** When lastError happened (ms since epoch). */
  lastErrorAt: number | null;
  /** Down since (ms since epoch); null while online. */
  offlineSince: number | null;
  /** Attempts that failed since the link was last up. */
  failedAttempts: number;
  /** Times a live link ended since the gateway started (a flapping link, or a contested identity). */
  drops: number;
}

export interface LinkWatchOptions {
  hubUrl: string;
  /** After this long without the hub, say so at warn level (default one minute). */
  unreachableWarnMs?: number;
  now?: () => number;
}

/** While the hub stays unreachable, the warn line repeats this many times less often than its first delay. */
const REPEAT_FACTOR = 10;

/**
 * Keeps the reason the hub link is down and since when, and says so: a warn
 * line when a live connection ends or the reason changes, debug for a repeated
 * failure, and one rate-limited warn naming the hub and the reason once the hub
 * has been unreachable longer than `unreachableWarnMs` (then every ten times that).
 */
export class LinkWatch {
  private readonly hub: string;
  private readonly warnAfterMs: number;
  private readonly now: () => number;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private offlineSince: number | null;
  private failedAttempts = 0;
  private drops = 0;
  private lastWarnAt: number | null = null;

  constructor(
    opts: LinkWatchOptions,
    private readonly log: Logger,
  ) {
    this.hub = hubOrigin(opts.hubUrl);
    this.warnAfterMs = opts.unreachableWarnMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    // Until the first hello the hub has not been reached: that counts as down.
    this.offlineSince = this.now();
  }

  /** The hub answered hello. */
  online(): void {
    const downFor = this.offlineSince === null ? 0 : this.now() - this.offlineSince;
    if (this.lastWarnAt !== null)
      this.log.warn({ hub: this.hub, downForS: Math.round(downFor / 1000) }, 'hub reachable again');
    this.offlineSince = null;
    this.failedAttempts = 0;
    this.lastWarnAt = null;
  }

  /** A connection or an attempt ended; `retryInMs` is when the next attempt starts. */
  failed(reason: string, wasOnline: boolean, retryInMs: number): void {
    const now = this.now();
    const changed = reason !== this.lastError;
    this.offlineSince ??= now;
    this.lastError = reason;
    this.lastErrorAt = now;
    this.failedAttempts++;
    if (wasOnline) this.drops++;
    const fields = { hub: this.hub, reason, retryInMs, failedAttempts: this.failedAttempts };
    if (wasOnline) this.log.warn(fields, 'uplink disconnected; reconnecting');
    else if (changed) this.log.warn(fields, 'hub connection failed; retrying');
    else this.log.debug(fields, 'hub connection failed again; retrying');
    const downFor = now - this.offlineSince;
    const every = this.lastWarnAt === null ? this.warnAfterMs : this.warnAfterMs * REPEAT_FACTOR;
    if (downFor >= this.warnAfterMs && (this.lastWarnAt === null || now - this.lastWarnAt >= every)) {
      this.lastWarnAt = now;
      this.log.warn(
        { ...fields, downForS: Math.round(downFor / 1000), offlineSince: new Date(this.offlineSince).toISOString() },
        `hub ${this.hub} unreachable for ${Math.round(downFor / 1000)} s: ${reason}`,
      );
    }
  }

  report(): LinkReport {
    return {
      hub: this.hub,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      offlineSince: this.offlineSince,
      failedAttempts: this.failedAttempts,
      drops: this.drops,
    };
  }
}

/** The scheme, host and port of the hub URL: a URL with user:password@ must never reach a log. */
export function hubOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    // The config check already refuses a bad URL; this only labels log lines.
    return '(invalid hub url)';
  }
}

/** Socket.IO's disconnect reasons, said so an installer can act on them. */
const DISCONNECT_REASONS: Record<string, string> = {
  'io server disconnect':
    'the hub closed the connection (another connection with this gateway id replaced it, or the hub failed during hello)',
  'ping timeout': 'the hub stopped answering pings (ping timeout)',
  'transport close': 'the connection was closed (transport close)',
  'transport error': 'the connection failed (transport error)',
  'parse error': 'the hub sent something that is not Socket.IO (parse error)',
};

export function describeDisconnect(reason: string): string {
  return DISCONNECT_REASONS[reason] ?? reason;
}
