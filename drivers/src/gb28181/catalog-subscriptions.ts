import { type Charset, encodeBody, MANSCDP_CONTENT_TYPE, parseManscdp, xmlFields } from './manscdp.js';
import { type CatalogItem, catalogItemFields } from './manscdp-messages.js';
import { newBranch, newTag, responseTo } from './sip-endpoint.js';
import { parseNameAddr } from './sip-headers.js';
import { header, type SipRequest, type SipResponse } from './sip-message.js';
import type { SipParty } from './sip-requests.js';

/** What changed about a channel (GB/T 28181-2016 §9.11.2 and A.2.6.4: ON, OFF, VLOST, DEFECT, ADD, DEL, UPDATE). */
export type CatalogChange = CatalogItem & { event: 'ON' | 'OFF' | 'ADD' | 'DEL' | 'UPDATE' };

interface Subscription {
  callId: string;
  /** The subscriber's From (with its tag): our NOTIFY's To. */
  remote: string;
  remoteUri: string;
  localTag: string;
  sn: number;
  expiresAt: number;
}

/**
 * Catalog subscription (目录订阅) on the lower side: SUBSCRIBE with Event:
 * Catalog is answered 200 with the granted Expires (0 ends it), and every
 * change to a channel afterwards goes to each live subscriber as a NOTIFY in
 * its dialog, so the platform's channel list follows cameras going on and off
 * line without polling.
 */
export class CatalogSubscriptions {
  private readonly subs = new Map<string, Subscription>();

  constructor(
    private readonly o: {
      deviceId: string;
      charset: Charset;
      maxExpiresS: number;
      identity: () => { party: SipParty; nextCseq: () => number } | null;
      send: (req: SipRequest) => Promise<SipResponse>;
    },
  ) {}

  count(): number {
    const now = Date.now();
    return [...this.subs.values()].filter((s) => s.expiresAt > now).length;
  }

  /** For LowerAgent's `handle`: undefined for requests that are not a catalog SUBSCRIBE. */
  handle(req: SipRequest): SipResponse | undefined {
    if (req.method !== 'SUBSCRIBE') return undefined;
    if (!/^catalog\b/i.test(header(req, 'Event') ?? '')) return responseTo(req, 489, 'Bad Event');
    const body = parseManscdp(req.body, header(req, 'Content-Type'));
    const callId = header(req, 'Call-ID') ?? '';
    const expires = Math.min(Number(header(req, 'Expires') ?? 3600) || 0, this.o.maxExpiresS);
    const existing = this.subs.get(callId);
    const localTag = existing?.localTag ?? newTag();
    if (expires <= 0) this.subs.delete(callId);
    else
      this.subs.set(callId, {
        callId,
        remote: header(req, 'From') ?? '',
        remoteUri:
          parseNameAddr(header(req, 'Contact') ?? '')?.uri ?? parseNameAddr(header(req, 'From') ?? '')?.uri ?? '',
        localTag,
        sn: body.ok ? body.value.sn : 0,
        expiresAt: Date.now() + expires * 1000,
      });
    return responseTo(req, 200, 'OK', { toTag: localTag, headers: [['Expires', String(expires)]] });
  }

  /** Tells every live subscriber about `changes`; resolves when each NOTIFY is answered or failed. */
  async notify(changes: readonly CatalogChange[]): Promise<number> {
    const me = this.o.identity();
    if (!me || !changes.length) return 0;
    let delivered = 0;
    const now = Date.now();
    for (const s of [...this.subs.values()]) {
      if (s.expiresAt <= now) {
        this.subs.delete(s.callId);
        continue;
      }
      const p = me.party;
      const xml =
        `<?xml version="1.0" encoding="${this.o.charset}"?>\r\n<Notify>\r\n` +
        xmlFields(
          [
            ['CmdType', 'Catalog'],
            ['SN', s.sn],
            ['DeviceID', this.o.deviceId],
            ['SumNum', changes.length],
            [
              `DeviceList Num="${changes.length}"`,
              changes.map((c) => ['Item', [...catalogItemFields(c), ['Event', c.event]]] as const),
            ],
          ],
          '  ',
        ) +
        '</Notify>\r\n';
      const left = Math.max(0, Math.round((s.expiresAt - now) / 1000));
      const req: SipRequest = {
        kind: 'request',
        method: 'NOTIFY',
        uri: s.remoteUri,
        headers: [
          ['Via', `SIP/2.0/${p.transport} ${p.contactHost}:${p.contactPort};rport;branch=${newBranch()}`],
          ['From', `<sip:${this.o.deviceId}@${p.domain}>;tag=${s.localTag}`],
          ['To', s.remote],
          ['Call-ID', s.callId],
          ['CSeq', `${me.nextCseq()} NOTIFY`],
          ['Max-Forwards', '70'],
          ['Event', 'Catalog'],
          ['Subscription-State', `active;expires=${left}`],
          ['Contact', `<sip:${this.o.deviceId}@${p.contactHost}:${p.contactPort}>`],
          ['Content-Type', MANSCDP_CONTENT_TYPE],
        ],
        body: encodeBody(xml, this.o.charset),
      };
      const r = await this.o.send(req).catch(() => null);
      if (r && r.status < 300) delivered++;
      // The platform no longer knows this dialog: the subscription is over.
      else if (r && r.status === 481) this.subs.delete(s.callId);
    }
    return delivered;
  }
}
