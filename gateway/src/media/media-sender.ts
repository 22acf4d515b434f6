import { type MediaMessage, type MediaReply, wire } from '@linli/contract';
import type { Logger } from '../log.js';
import type { MediaOutbox } from './media-outbox.js';

/** What the sender needs from the uplink. */
export interface MediaLink {
  readonly state: string;
  ackedSeq(): number;
  sendMedia(msg: MediaMessage): Promise<MediaReply>;
}

const TICK_MS = 1000;
/** A picture the hub keeps refusing (its event unknown there) is dropped after this many tries. */
const MAX_ATTEMPTS = 30;

/**
 * Sends queued thumbnails to the hub once their events are there (the hub
 * acknowledged the event's sequence), one at a time, each removed only when
 * the hub says it stored it.
 */
export class MediaSender {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly outbox: MediaOutbox,
    private readonly link: MediaLink,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }

  /** Try now (a picture was queued, or the link came back). */
  kick(): void {
    if (this.busy || this.stopped || this.link.state !== 'online') return;
    this.busy = true;
    void this.drain().finally(() => (this.busy = false));
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped || this.link.state !== 'online') return;
      const batch = this.outbox.ready(this.link.ackedSeq(), 8);
      if (!batch.length) return;
      for (const m of batch) {
        let reply: MediaReply;
        try {
          reply = await this.link.sendMedia({
            eventId: m.eventId,
            eventSeq: m.eventSeq,
            cameraId: m.cameraId,
            takenAt: m.takenAt,
            contentType: 'image/webp',
            bytes: m.webp,
          });
        } catch (err) {
          this.log.debug({ err: String(err) }, 'picture not sent; will retry');
          return;
        }
        if (reply.ok) {
          this.outbox.remove(m.id);
          continue;
        }
        this.outbox.attempted(m.id);
        // An invalid picture or one the hub refuses for authority (undeclared camera) never becomes acceptable.
        const permanent = reply.error.code === 'INVALID_MEDIA' || wire.isAuthorityCode(reply.error.code);
        if (permanent || m.attempts + 1 >= MAX_ATTEMPTS) {
          this.log.error({ event: m.eventId, error: reply.error }, 'hub refused a picture; dropped');
          this.outbox.remove(m.id);
          continue;
        }
        this.log.warn({ event: m.eventId, error: reply.error }, 'hub did not take a picture yet; will retry');
        return;
      }
    }
  }
}
