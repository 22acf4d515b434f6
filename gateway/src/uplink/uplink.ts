import {
  type Command,
  type CommandReply,
  type DeclaredDevice,
  type GatewayStatus,
  LinliError,
  type LinliEvent,
  NetworkFault,
  type MediaMessage,
  type MediaReply,
  priorityOf,
  validators,
  wire,
} from '@linli/contract';
import type { Outbox } from '../buffer/outbox.js';
import type { Logger } from '../log.js';
import { DEFAULT_BACKOFF, ReconnectBackoff } from './backoff.js';
import { closeHubSocket, type HubSocket, openHubSocket } from './hub-socket.js';
import { LinkWatch, type LinkReport } from './link-watch.js';
import { helloMessage, reportDeclaration, reportRejected } from './declaration.js';
import { RateMeter } from './rate-meter.js';

export interface UplinkOptions {
  hubUrl: string;
  gatewayId: string;
  /** The token, or a function read before every attempt (a re-issued token is picked up without a restart). */
  token: string | (() => string);
  batchSize?: number;
  ackTimeoutMs?: number;
  /** Backoff after a healthy connection ends starts below this (full jitter). */
  reconnectDelayMs?: number;
  /** Backoff never waits longer than this. */
  reconnectDelayMaxMs?: number;
  /** An attempt that has not reached the hub's namespace by then is abandoned and retried. */
  connectTimeoutMs?: number;
  /** After this long without the hub, a warn line names it and the reason (then every ten times that). */
  unreachableWarnMs?: number;
  statusIntervalMs?: number;
  /** The parts of the status report the uplink does not know itself. */
  devices?: () => GatewayStatus['devices'];
  /** The running flow set's version, when the gateway runs local rules. */
  flowsVersion?: () => string | null;
  /** The GB/T 28181 link's state for the hub (null when not configured). */
  gb28181?: () => GatewayStatus['gb28181'] | null;
  /** The gateway's clock as reported to the hub (injectable to test clock trouble). */
  now?: () => number;
  /** The devices declared to the hub in every hello (declaration.ts); without it the hub keeps its list. */
  declaration?: () => DeclaredDevice[];
  /** Runs a hub command (remote open, snapshot, flow push) and answers it; without it commands are refused. */
  onCommand?: (cmd: Command) => Promise<CommandReply>;
}

export type UplinkState = 'connecting' | 'online' | 'offline' | 'refused';

/** After the hub rejects a batch (e.g. a newer gateway talking to an older hub), wait before resending it. */
const REJECTED_RETRY_MS = 30_000;
/** Batches in flight on the backlog lane. */
const PIPELINE = 3;

/**
 * Streams the outbox to the hub over Socket.IO, on two lanes.
 *
 * Backlog lane: batches in sequence order, one in flight; the outbox drops
 * events only when the hub acknowledges a sequence, and after any reconnect the
 * hub's `hello` says where to resume. Evicted telemetry ranges travel with the
 * batches so the hub can move past sequences that will never come.
 *
 * Live lane: an alarm committed while a backlog is still draining is also sent
 * at once on its own, so it is never stuck behind hours of telemetry. The hub
 * stores it without moving its watermark; when the backlog reaches it, it is a
 * duplicate and ignored. Best effort: if it fails, the backlog still delivers it.
 */
export class Uplink {
  private socket: HubSocket | null = null;
  /** Highest sequence the hub has acknowledged. */
  private cursor = 0;
  /** Highest sequence sent in a batch still awaiting its reply. */
  private sentThrough = 0;
  private inflight = 0;
  private blockedUntil = 0;
  private session = 0;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly acked = new RateMeter();
  private readonly backoff: ReconnectBackoff;
  private readonly watch: LinkWatch;
  state: UplinkState = 'connecting';

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: UplinkOptions,
    private readonly log: Logger,
  ) {
    this.backoff = new ReconnectBackoff({
      ...DEFAULT_BACKOFF,
      baseMs: opts.reconnectDelayMs ?? DEFAULT_BACKOFF.baseMs,
      capMs: opts.reconnectDelayMaxMs ?? DEFAULT_BACKOFF.capMs,
    });
    this.watch = new LinkWatch({ hubUrl: opts.hubUrl, unreachableWarnMs: opts.unreachableWarnMs }, log);
  }

  start(): void {
    this.unsubscribe = this.outbox.onAppend((events) => this.onAppend(events), 'uplink');
    this.statusTimer = setInterval(() => void this.sendStatus(), this.opts.statusIntervalMs ?? 10_000);
    this.statusTimer.unref();
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.session++;
    if (this.socket) closeHubSocket(this.socket);
    this.socket = null;
  }

  /** Why the link is down (or last went down) and since when. */
  link(): LinkReport {
    return this.watch.report();
  }

  /** What the hub's device status shows about this link: the last outage and how often it dropped. */
  private linkForHub(): NonNullable<GatewayStatus['link']> {
    const l = this.watch.report();
    return { lastError: l.lastError?.slice(0, 300) ?? null, lastErrorAt: l.lastErrorAt, drops: l.drops };
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    const token = typeof this.opts.token === 'function' ? this.opts.token() : this.opts.token;
    const socket: HubSocket = openHubSocket(
      { ...this.opts, token, connectTimeoutMs: this.opts.connectTimeoutMs ?? 5000 },
      {
        onConnect: () => void this.onConnect(socket),
        onEnd: (reason, refused) => this.lost(socket, reason, refused),
      },
    );
    socket.on('command', (raw, ack) => void this.runCommand(raw, ack));
    this.socket = socket;
  }

  /**
   * Whatever ended the connection or the attempt: closes it for good, says why
   * and schedules the next attempt after a jittered, capped backoff. Only the
   * first report of a socket counts; the rest are echoes of the same end.
   */
  private lost(socket: HubSocket, reason: string, refused = false): void {
    if (socket !== this.socket || this.stopped) return;
    const wasOnline = this.state === 'online';
    this.socket = null;
    this.session++;
    this.sentThrough = this.cursor;
    this.inflight = 0;
    closeHubSocket(socket);
    this.state = refused ? 'refused' : 'offline';
    const wait = this.backoff.next();
    this.watch.failed(reason, wasOnline, wait);
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  /** Highest sequence the hub has acknowledged (its pictures may follow). */
  ackedSeq(): number {
    return this.cursor;
  }

  /** Sends one picture for an event the hub already has; rejects when offline or unanswered. */
  async sendMedia(msg: MediaMessage): Promise<MediaReply> {
    const socket = this.socket;
    if (this.state !== 'online' || !socket?.connected) throw new NetworkFault('HUB_UNREACHABLE', 'uplink offline');
    return validators.mediaReply.assert(await socket.timeout(this.ackTimeout()).emitWithAck('media', msg));
  }

  /** Events per second the hub acknowledged recently (the replay rate during a drain). */
  replayRate(): number {
    return this.acked.rate();
  }

  private onAppend(events: LinliEvent[]): void {
    if (this.state === 'online') {
      const first = events[0]!;
      // Unsent events ahead of these: a backlog, so alarms take the live lane.
      if (first.seq > Math.max(this.sentThrough, this.cursor) + 1) {
        const alarms = events.filter((e) => priorityOf(e.severity) === 'alarm');
        if (alarms.length) void this.sendLive(alarms);
      }
    }
    this.pump();
  }

  /** Validates a hub command and hands it to the gateway's router; always answers, never throws. */
  private async runCommand(raw: unknown, ack: (r: CommandReply) => void): Promise<void> {
    if (typeof ack !== 'function') return;
    const checked = validators.command.check(raw);
    if (!checked.ok) {
      this.log.warn({ issues: checked.issues.slice(0, 5) }, 'refused an invalid command from the hub');
      return ack({ ok: false, error: { code: 'INVALID_COMMAND', message: 'the command failed validation' } });
    }
    const cmd = checked.value;
    if (!this.opts.onCommand)
      return ack({ ok: false, error: { code: 'UNSUPPORTED', message: 'this gateway runs no commands' } });
    try {
      ack(await this.opts.onCommand(cmd));
    } catch (err) {
      this.log.warn({ command: cmd.id, name: cmd.name, err: String(err) }, 'command failed');
      // The failure's real code (its fault domain), not one flattened code: the hub and the operator act on it.
      const code = err instanceof LinliError ? err.code : 'INTERNAL';
      ack({ ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private async onConnect(socket: HubSocket): Promise<void> {
    const session = ++this.session;
    try {
      const hello = helloMessage(this.opts.declaration?.(), this.outbox.lastAssignedSeq());
      const reply = validators.helloReply.assert(await socket.timeout(this.ackTimeout()).emitWithAck('hello', hello));
      if (!reply.ok) throw new LinliError(reply.error.code, `${reply.error.code}: ${reply.error.message}`);
      reportDeclaration(reply, this.log);
      if (session !== this.session) return;
      const local = this.outbox.stats();
      if (reply.lastSeq > local.lastSeq) {
        this.log.error(
          { hubLastSeq: reply.lastSeq, localLastSeq: local.lastSeq },
          'hub has a higher sequence than this gateway ever produced; is this gateway id used twice?',
        );
      }
      this.outbox.ackThrough(reply.lastSeq);
      this.cursor = reply.lastSeq;
      this.sentThrough = reply.lastSeq;
      this.inflight = 0;
      this.state = 'online';
      this.backoff.online();
      this.watch.online();
      this.log.info({ resumeAfter: reply.lastSeq, backlog: local.depth }, 'uplink online');
      void this.sendStatus();
      this.pump();
    } catch (err) {
      if (session === this.session) this.lost(socket, `hello failed: ${String(err)}`);
    }
  }

  private ackTimeout(): number {
    return this.opts.ackTimeoutMs ?? 15_000;
  }

  /**
   * Keeps up to PIPELINE batches in flight so the gateway reads and encodes the
   * next batch while the hub commits the previous one (two processes, two cores).
   * The hub answers one socket's messages in order; a reply's ackSeq below its
   * batch's end means the hub found a gap, so sending restarts after ackSeq.
   */
  private pump(): void {
    if (this.state !== 'online' || Date.now() < this.blockedUntil) return;
    const socket = this.socket;
    const session = this.session;
    const size = this.opts.batchSize ?? 1000;
    while (socket?.connected && session === this.session && this.inflight < PIPELINE) {
      const after = Math.max(this.sentThrough, this.cursor);
      let events = this.outbox.readAfter(after, size);
      let end = events.length === size ? events[events.length - 1]!.seq : this.outbox.lastAssignedSeq();
      const evicted = this.outbox.evictedBetween(after, end);
      if (evicted.length >= wire.MAX_BATCH_EVENTS) {
        end = evicted[evicted.length - 1]!.toSeq;
        events = events.filter((e) => e.seq <= end);
      }
      if (!events.length && !evicted.length) return;
      this.sentThrough = end;
      this.inflight++;
      socket
        .timeout(this.ackTimeout())
        .emitWithAck('events', evicted.length ? { events, evicted } : { events })
        .then(
          (raw) => this.onBatchReply(raw, after, end, session),
          (err: unknown) => {
            if (session !== this.session) return;
            this.restart(`batch not acknowledged (${String(err)}); will resend`);
          },
        )
        .finally(() => {
          if (session !== this.session) return; // a reconnect reset the window
          this.inflight--;
          this.pump();
        });
    }
  }

  private onBatchReply(raw: unknown, after: number, end: number, session: number): void {
    if (session !== this.session) return;
    const reply = validators.batchReply.check(raw);
    if (!reply.ok) {
      this.log.error(
        { issues: reply.issues },
        'hub sent an invalid batch reply; nothing dropped, resending after reconnect',
      );
      return this.restart('invalid batch reply');
    }
    if (!reply.value.ok) {
      // Rate-limited: the hub says how long to wait in `retryAfterMs` (bounded here); anything else waits 30 s.
      const limited = reply.value.error.code === 'RATE_LIMITED';
      const hinted = reply.value.error.retryAfterMs ?? 1000;
      const wait = limited ? Math.min(Math.max(hinted, 200), REJECTED_RETRY_MS) : REJECTED_RETRY_MS;
      if (limited) this.log.warn({ wait }, 'hub rate-limited this gateway; nothing dropped, resending shortly');
      else this.log.error({ error: reply.value.error }, 'hub rejected a batch; nothing dropped, retrying in 30 s');
      this.blockedUntil = Date.now() + wait;
      this.sentThrough = this.cursor;
      setTimeout(() => this.pump(), wait).unref();
      return;
    }
    const ackSeq = reply.value.ackSeq;
    reportRejected(reply.value.rejected, 'events', this.log);
    if (ackSeq > end || ackSeq < Math.min(after, this.cursor)) {
      this.log.error(
        { ackSeq, sent: [after + 1, end], cursor: this.cursor },
        'hub acknowledged a sequence outside the batch; ignoring the reply',
      );
      return this.restart('acknowledgement outside the batch');
    }
    if (ackSeq > this.cursor) {
      this.acked.add(this.outbox.ackThrough(ackSeq));
      this.cursor = ackSeq;
    }
    // A gap at the hub: everything sent after ackSeq is resent (the hub ignores what it already has).
    if (ackSeq < end) this.sentThrough = Math.min(this.sentThrough, this.cursor);
  }

  /** Drops the connection (with backoff, so a hub that keeps answering wrongly is not hammered); the next hello decides where to resume. */
  private restart(reason: string): void {
    if (this.socket) this.lost(this.socket, reason);
  }

  private async sendLive(alarms: LinliEvent[]): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    for (let i = 0; i < alarms.length; i += wire.MAX_LIVE_EVENTS) {
      try {
        const reply = validators.liveReply.check(
          await socket
            .timeout(this.ackTimeout())
            .emitWithAck('live', { events: alarms.slice(i, i + wire.MAX_LIVE_EVENTS) }),
        );
        if (reply.ok && reply.value.ok) reportRejected(reply.value.rejected, 'live', this.log);
        else
          this.log.warn(
            { reply: reply.ok ? reply.value : reply.issues },
            'live lane refused; the backlog will deliver',
          );
      } catch (err) {
        this.log.debug({ err: String(err) }, 'live lane send failed; the backlog will deliver');
      }
    }
  }

  private async sendStatus(): Promise<void> {
    const socket = this.socket;
    if (this.state !== 'online' || !socket?.connected) return;
    const s = this.outbox.stats();
    const status: GatewayStatus = {
      now: (this.opts.now ?? Date.now)(),
      buffer: {
        depth: s.depth,
        bytes: s.bytes,
        lastSeq: s.lastSeq,
        oldestReceivedAt: s.oldestReceivedAt,
        evictedTelemetry: s.evictedTelemetry,
        refusedAlarms: s.refusedAlarms,
        diskFull: s.diskFull,
      },
      devices: this.opts.devices?.() ?? { total: 0, online: 0 },
      replayRate: Math.round(this.acked.rate() * 10) / 10,
      ...(this.opts.flowsVersion?.() ? { flowsVersion: this.opts.flowsVersion()! } : {}),
      link: this.linkForHub(),
      ...(this.opts.gb28181?.() ? { gb28181: this.opts.gb28181()! } : {}),
    };
    try {
      const reply = validators.statusReply.check(await socket.timeout(this.ackTimeout()).emitWithAck('status', status));
      if (!reply.ok || !reply.value.ok) this.log.warn('hub did not accept the status report');
    } catch {
      // The next report will try again.
    }
  }
}
