import { newBranch, responseTo, newTag } from '../sip-endpoint.js';
import { parseNameAddr, parseSipUri } from '../sip-headers.js';
import type { SipParty } from '../sip-requests.js';
import { header, type SipRequest, type SipResponse } from '../sip-message.js';
import { LiveStream } from './live-stream.js';
import { answerSdp, type MediaOffer, parseOffer } from './sdp.js';

/**
 * Live view sessions (实时视音频点播, GB/T 28181 §9.2) on the lower side:
 * INVITE for a channel → 200 with our SDP (or 404 unknown channel, 486 Busy
 * Here beyond `maxStreams`, 488 for what we cannot send), ACK starts the
 * stream, BYE stops it. A session is its Call-ID.
 */
export interface LiveSessionsOptions {
  deviceId: string;
  /** Where the media socket binds. */
  bindHost: string;
  /** The address written in our SDP (what the platform sees us as). */
  advertise: () => string;
  maxStreams: number;
  /**
   * The channel's RTSP URL (with credentials), a relay that makes the media some other way (a GB/T 28181
   * camera registered to the gateway), or null when the code is not one of our channels.
   */
  source: (channelId: string) => string | LiveRelaySource | null;
  /** An INVITE that is never ACKed is dropped after this long (timer H). */
  ackTimeoutMs?: number;
  /**
   * How to send a request to the platform and as whom (LowerAgent's `request` and `identity`): with them, a
   * stream that ends on our side (ffmpeg exited, the relayed camera hung up) is ended at the platform with BYE.
   */
  request?: (req: SipRequest) => Promise<SipResponse>;
  identity?: () => { party: SipParty; nextCseq: () => number } | null;
  onEvent?: (e: { event: 'started' | 'stopped' | 'refused'; channel: string; callId: string; why?: string }) => void;
}

/** One live view's media: the socket opened before the answer (its port goes into our SDP), started on ACK. */
export interface LiveMedia {
  open(bindHost: string): Promise<{ port: number }>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Makes the media for one INVITE; `onEnd` when it ends on its own. */
export type LiveRelaySource = (offer: MediaOffer, onEnd: (why: string) => void) => LiveMedia;

interface Session {
  channel: string;
  invite: SipRequest;
  toTag: string;
  stream: LiveMedia;
  started: boolean;
  timer: NodeJS.Timeout;
}

export class LiveSessions {
  private readonly sessions = new Map<string, Session>();
  private opening = 0;

  constructor(private readonly o: LiveSessionsOptions) {}

  count(): number {
    return this.sessions.size;
  }

  /** For LowerAgent's `handle`: undefined for methods that are not ours. */
  handle(req: SipRequest): SipResponse | null | undefined | Promise<SipResponse | null> {
    const callId = header(req, 'Call-ID') ?? '';
    if (req.method === 'INVITE') return this.invite(req, callId);
    if (req.method === 'ACK') {
      void this.ack(callId);
      return null;
    }
    if (req.method === 'BYE') {
      if (!this.sessions.has(callId)) return responseTo(req, 481, 'Call/Transaction Does Not Exist');
      void this.end(callId, 'BYE');
      return responseTo(req, 200, 'OK');
    }
    return undefined;
  }

  /** Ends every session (the platform forgot us, or we are stopping); `bye` also tells the platform. */
  async stopAll(why: string, bye = false): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, why, bye)));
  }

  private async invite(req: SipRequest, callId: string): Promise<SipResponse> {
    const channel = parseSipUri(req.uri)?.user ?? '';
    const source = this.o.source(channel);
    const refuse = (status: number, reason: string, detail?: string) => {
      this.o.onEvent?.({ event: 'refused', channel, callId, why: `${status} ${reason}${detail ? `: ${detail}` : ''}` });
      return responseTo(req, status, reason);
    };
    if (this.sessions.has(callId)) return refuse(491, 'Request Pending');
    if (!source) return refuse(404, 'Not Found');
    if (this.sessions.size + this.opening >= this.o.maxStreams) return refuse(486, 'Busy Here');
    const offer = parseOffer(req.body.toString('utf8'));
    if ('error' in offer) return refuse(488, 'Not Acceptable Here');
    if (!/^play$/i.test(offer.session)) return refuse(488, 'Not Acceptable Here');
    if (offer.transport === 'TCP' && offer.setup === 'active') return refuse(488, 'Not Acceptable Here');
    const onEnd = (why: string) => void this.end(callId, why, true);
    const stream = typeof source === 'string' ? new LiveStream(source, offer, onEnd) : source(offer, onEnd);
    // Counted while it opens (a relay INVITEs its camera first), so concurrent INVITEs cannot pass maxStreams.
    this.opening++;
    let port: number;
    try {
      port = (await stream.open(this.o.bindHost)).port;
    } catch (err) {
      await stream.stop().catch(() => undefined);
      // 480: the channel exists but its camera cannot give video now (not registered, refused our INVITE).
      return refuse(480, 'Temporarily Unavailable', (err as Error).message);
    } finally {
      this.opening--;
    }
    const timer = setTimeout(() => void this.end(callId, 'no ACK'), this.o.ackTimeoutMs ?? 32_000);
    const toTag = newTag();
    this.sessions.set(callId, { channel, invite: req, toTag, stream, started: false, timer });
    const address = this.o.advertise();
    const sdp = answerSdp({ id: this.o.deviceId, address, port, offer });
    return responseTo(req, 200, 'OK', {
      toTag,
      headers: [
        ['Contact', `<sip:${channel}@${address}>`],
        ['Content-Type', 'application/sdp'],
      ],
      body: Buffer.from(sdp),
    });
  }

  private async ack(callId: string): Promise<void> {
    const s = this.sessions.get(callId);
    if (!s || s.started) return;
    s.started = true;
    clearTimeout(s.timer);
    try {
      await s.stream.start();
      this.o.onEvent?.({ event: 'started', channel: s.channel, callId });
    } catch (err) {
      await this.end(callId, `could not start: ${(err as Error).message}`);
    }
  }

  private async end(callId: string, why: string, bye = false): Promise<void> {
    const s = this.sessions.get(callId);
    if (!s) return;
    this.sessions.delete(callId);
    clearTimeout(s.timer);
    await s.stream.stop();
    this.o.onEvent?.({ event: 'stopped', channel: s.channel, callId, why });
    if (bye && s.started) await this.bye(s);
  }

  /** Our BYE in the INVITE's dialog (RFC 3261 §15.1.1): to the platform's Contact, From/To swapped, our tag. */
  private async bye(s: Session): Promise<void> {
    const me = this.o.identity?.();
    if (!me || !this.o.request) return;
    const p = me.party;
    const inv = s.invite;
    const req: SipRequest = {
      kind: 'request',
      method: 'BYE',
      uri: parseNameAddr(header(inv, 'Contact') ?? '')?.uri ?? parseNameAddr(header(inv, 'From') ?? '')?.uri ?? '',
      headers: [
        ['Via', `SIP/2.0/${p.transport} ${p.contactHost}:${p.contactPort};rport;branch=${newBranch()}`],
        ['From', `${header(inv, 'To') ?? ''};tag=${s.toTag}`],
        ['To', header(inv, 'From') ?? ''],
        ['Call-ID', header(inv, 'Call-ID') ?? ''],
        ['CSeq', `${me.nextCseq()} BYE`],
        ['Max-Forwards', '70'],
      ],
      body: Buffer.alloc(0),
    };
    await this.o.request(req).catch(() => undefined);
  }
}
