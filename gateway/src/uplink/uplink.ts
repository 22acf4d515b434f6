import { type GatewayToHub, type HubToGateway, validators, wire } from '@linli/contract';
import { io, type Socket } from 'socket.io-client';
import type { Outbox } from '../buffer/outbox.js';
import type { Logger } from '../log.js';

export interface UplinkOptions {
  hubUrl: string;
  gatewayId: string;
  token: string;
  batchSize?: number;
  ackTimeoutMs?: number;
}

export type UplinkState = 'connecting' | 'online' | 'offline' | 'refused';

/** After the hub refuses our credentials, try again this much later (it may have been re-provisioned). */
const REFUSED_RETRY_MS = 30_000;

/**
 * Streams the outbox to the hub over Socket.IO. At most one batch is in
 * flight; the outbox drops events only when the hub acknowledges a sequence,
 * and after any reconnect the hub says where to resume.
 */
export class Uplink {
  private socket: Socket<HubToGateway, GatewayToHub> | null = null;
  private cursor = 0;
  private pumping = false;
  private session = 0;
  private unsubscribe: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  state: UplinkState = 'connecting';

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: UplinkOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    const socket: Socket<HubToGateway, GatewayToHub> = io(`${this.opts.hubUrl}${wire.GATEWAY_NAMESPACE}`, {
      auth: { gatewayId: this.opts.gatewayId, token: this.opts.token, protocol: wire.PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('disconnect', (reason) => {
      this.session++;
      // Never let socket.io replay a stale batch on reconnect: the hub tells us where to resume.
      socket.sendBuffer = [];
      this.state = 'offline';
      this.log.warn({ reason }, 'uplink disconnected');
    });
    socket.on('connect_error', (err) => {
      if (!socket.active) {
        this.state = 'refused';
        this.log.error({ reason: err.message }, 'hub refused this gateway; check its token, retrying later');
        this.retryTimer = setTimeout(() => socket.connect(), REFUSED_RETRY_MS);
      } else {
        this.state = 'offline';
        this.log.debug({ reason: err.message }, 'hub unreachable');
      }
    });
    this.unsubscribe = this.outbox.onAppend(() => void this.pump());
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.session++;
    this.socket?.disconnect();
    this.socket = null;
  }

  private async onConnect(): Promise<void> {
    const socket = this.socket!;
    const session = ++this.session;
    try {
      const reply = validators.helloReply.assert(await socket.timeout(this.ackTimeout()).emitWithAck('hello', {}));
      if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
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
      this.state = 'online';
      this.log.info({ resumeAfter: reply.lastSeq, backlog: local.depth }, 'uplink online');
      void this.pump();
    } catch (err) {
      this.log.warn({ err: String(err) }, 'hello failed; reconnecting');
      socket.disconnect().connect();
    }
  }

  private ackTimeout(): number {
    return this.opts.ackTimeoutMs ?? 15_000;
  }

  /** Sends batches until the outbox is drained, the link drops or the hub says no. */
  private async pump(): Promise<void> {
    if (this.pumping || this.state !== 'online') return;
    this.pumping = true;
    const session = this.session;
    try {
      while (this.socket?.connected && session === this.session) {
        const events = this.outbox.readAfter(this.cursor, this.opts.batchSize ?? 500);
        if (!events.length) break;
        const raw = await this.socket.timeout(this.ackTimeout()).emitWithAck('events', { events });
        if (session !== this.session) break;
        const reply = validators.batchReply.check(raw);
        if (!reply.ok) {
          this.log.error({ issues: reply.issues }, 'hub sent an invalid batch reply; resending after reconnect');
          this.socket.disconnect().connect();
          break;
        }
        if (!reply.value.ok) {
          this.log.error({ error: reply.value.error }, 'hub rejected a batch');
          break;
        }
        this.outbox.ackThrough(reply.value.ackSeq);
        this.cursor = reply.value.ackSeq;
      }
    } catch (err) {
      this.log.warn({ err: String(err) }, 'batch not acknowledged; will resend');
      if (session === this.session) this.socket?.disconnect().connect();
    } finally {
      this.pumping = false;
    }
  }
}
