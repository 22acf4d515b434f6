import { MANSCDP_CONTENT_TYPE, type Charset, encodeBody } from './manscdp.js';
import { newBranch } from './sip-endpoint.js';
import type { SipHeader, SipRequest } from './sip-message.js';
import type { SipTransportKind } from './sip-transport.js';

/** The identities and addresses one dialogue-less exchange needs (REGISTER, MESSAGE). */
export interface SipParty {
  /** Our 20-digit id and domain. */
  id: string;
  domain: string;
  /** The far side's id and domain (realm). */
  peerId: string;
  peerDomain: string;
  transport: SipTransportKind;
  /** Where we say we are (Via, Contact): the local socket, or the address the far side reported (NAT). */
  contactHost: string;
  contactPort: number;
  fromTag: string;
}

const USER_AGENT = 'Linli GB28181';

function common(p: SipParty, method: string, cseq: number, callId: string, toTag?: string): SipHeader[] {
  return [
    ['Via', `SIP/2.0/${p.transport} ${p.contactHost}:${p.contactPort};rport;branch=${newBranch()}`],
    ['From', `<sip:${p.id}@${p.domain}>;tag=${p.fromTag}`],
    [
      'To',
      `<sip:${method === 'REGISTER' ? p.id : p.peerId}@${method === 'REGISTER' ? p.domain : p.peerDomain}>${toTag ? `;tag=${toTag}` : ''}`,
    ],
    ['Call-ID', callId],
    ['CSeq', `${cseq} ${method}`],
    ['Max-Forwards', '70'],
    ['User-Agent', USER_AGENT],
  ];
}

export function registerRequest(
  p: SipParty,
  o: { cseq: number; callId: string; expiresS: number; authorization?: string; gbVersion?: '2.0' | '3.0' },
): SipRequest {
  return {
    kind: 'request',
    method: 'REGISTER',
    uri: `sip:${p.peerId}@${p.peerDomain}`,
    headers: [
      ...common(p, 'REGISTER', o.cseq, o.callId),
      ['Contact', `<sip:${p.id}@${p.contactHost}:${p.contactPort}>`],
      ...(o.authorization ? [['Authorization', o.authorization] as const] : []),
      ['Expires', String(o.expiresS)],
      // GB/T 28181-2022: the edition a device speaks (2.0 = 2016, 3.0 = 2022); 2016 platforms ignore it.
      ...(o.gbVersion ? [['X-GB-Ver', o.gbVersion] as const] : []),
    ],
    body: Buffer.alloc(0),
  };
}

/** A MESSAGE carrying a MANSCDP body (Keepalive, a query's answer, an Alarm). */
export function messageRequest(
  p: SipParty,
  o: { cseq: number; callId: string; xml: string; charset: Charset },
): SipRequest {
  return {
    kind: 'request',
    method: 'MESSAGE',
    uri: `sip:${p.peerId}@${p.peerDomain}`,
    headers: [...common(p, 'MESSAGE', o.cseq, o.callId), ['Content-Type', MANSCDP_CONTENT_TYPE]],
    body: encodeBody(o.xml, o.charset),
  };
}
