import type { LiveMedia } from './live-sessions.js';
import { PlatformMedia } from './platform-media.js';
import type { MediaOffer } from './sdp.js';

/** The downward leg of a relay: a camera's live video arriving as RTP packets, and its BYE. */
export interface RelayLeg {
  onPacket: ((packet: Buffer) => void) | null;
  /** The camera ended the call with its own BYE. */
  onRemoteBye: (() => void) | null;
  byeReceived: boolean;
  bye(): Promise<number>;
  stop(): Promise<void>;
}

/** Packets kept between the camera's first packet and the upper platform's ACK (the first carry the PSM and key frame). */
const MAX_EARLY_PACKETS = 4000;

export interface RelayTiming {
  /** The relay ends after this long without a packet from the camera (a power cut sends no BYE). */
  silenceMs?: number;
  /** Before the first packet, how long the camera may take to start sending (key frame, encoder start). */
  startGraceMs?: number;
}
const DEFAULT_SILENCE_MS = 10_000;
const DEFAULT_START_GRACE_MS = 30_000;

/**
 * An upper platform's live view of a GB/T 28181 camera registered to the
 * gateway: `open` INVITEs the camera (so a camera that cannot stream is
 * refused before we answer), `start` (on the platform's ACK) forwards every
 * RTP packet the camera sends, with the platform's payload type and SSRC
 * written in, over UDP or over TCP (RFC 4571) when the platform listens.
 * The PS inside is the camera's own, not re-muxed: no ffmpeg on the gateway.
 * `stop` sends BYE to the camera (unless it hung up first) and closes both sockets.
 * A camera that stops sending without a BYE (power cut) ends the relay after
 * `silenceMs`, so the platform gets its BYE and the stream slot is freed.
 */
export class LiveRelay implements LiveMedia {
  private readonly media: PlatformMedia;
  private leg: RelayLeg | null = null;
  private early: Buffer[] | null = [];
  private stopping: Promise<void> | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** When the camera's last packet arrived (0: none yet). */
  private lastPacketAt = 0;
  private openedAt = 0;
  /** Packets forwarded, for status and tests. */
  sent = 0;

  constructor(
    private readonly offer: MediaOffer,
    private readonly invite: () => Promise<RelayLeg>,
    private readonly onEnd: (why: string) => void = () => undefined,
    private readonly timing: RelayTiming = {},
  ) {
    this.media = new PlatformMedia(offer);
  }

  async open(bindHost: string): Promise<{ port: number }> {
    const port = await this.media.open(bindHost);
    const leg = await this.invite();
    if (this.stopping) {
      await leg.bye().catch(() => leg.stop());
      throw new Error('stopped while the camera answered');
    }
    this.leg = leg;
    // The camera hung up (its stream ended): the session ends, and LiveSessions tells the platform with a BYE.
    leg.onRemoteBye = () => this.onEnd('the camera ended the stream (BYE)');
    leg.onPacket = (p) => {
      this.lastPacketAt = Date.now();
      if (this.early) {
        if (this.early.length < MAX_EARLY_PACKETS) this.early.push(p);
      } else this.forward(p);
    };
    this.openedAt = Date.now();
    this.watch();
    return { port };
  }

  async start(): Promise<void> {
    await this.media.connect((why) => this.onEnd(why));
    const early = this.early ?? [];
    this.early = null;
    for (const p of early) this.forward(p);
  }

  /**
   * Ends the relay when the camera goes silent: measured from its last packet, or from the INVITE's answer
   * (with the longer start grace) until the first one. One timer, re-armed for the time left, rather than
   * one per packet.
   */
  private watch(): void {
    const silenceMs = this.timing.silenceMs ?? DEFAULT_SILENCE_MS;
    const graceMs = Math.max(this.timing.startGraceMs ?? DEFAULT_START_GRACE_MS, silenceMs);
    const left = this.lastPacketAt ? this.lastPacketAt + silenceMs - Date.now() : this.openedAt + graceMs - Date.now();
    if (left > 0) {
      this.watchdog = setTimeout(() => this.watch(), left);
      return;
    }
    this.watchdog = null;
    this.onEnd(
      this.lastPacketAt
        ? `摄像机停止发送视频 — no RTP from the camera for ${silenceMs} ms (no BYE: power or link lost)`
        : `摄像机未发送视频 — no RTP from the camera within ${graceMs} ms of its answer`,
    );
  }

  stop(): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
    this.stopping ??= (async () => {
      const leg = this.leg;
      this.leg = null;
      if (leg) {
        leg.onPacket = null;
        leg.onRemoteBye = null;
        await (leg.byeReceived ? leg.stop() : leg.bye().catch(() => leg.stop()));
      }
      await this.media.close();
    })();
    return this.stopping;
  }

  /** The camera's packet with the platform's payload type (the marker bit kept) and SSRC. */
  private forward(packet: Buffer): void {
    if (packet.length < 12) return;
    const out = Buffer.from(packet);
    out[1] = (out[1]! & 0x80) | (this.offer.psPayloadType & 0x7f);
    out.writeUInt32BE(this.offer.ssrc >>> 0, 8);
    this.media.send(out);
    this.sent++;
  }
}
