import { randomBytes } from 'node:crypto';
import { parseCSeq, parseVia } from './sip-headers.js';
import {
  header,
  headerList,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './sip-message.js';
import type { SipPeer, SipTransport } from './sip-transport.js';

/**
 * Non-INVITE transactions (RFC 3261 §17) over one transport: a request is
 * retransmitted on UDP from T1 doubling up to T2 until a final response or
 * timer F (64·T1); on TCP it is sent once. Incoming requests are matched by
 * Via branch so a retransmitted one gets the same answer again, not a second
 * run of its handler.
 */

export interface EndpointTimers {
  /** RTT estimate (RFC 3261: 500 ms). */
  t1Ms: number;
  /** Retransmit interval cap (4 s). */
  t2Ms: number;
}

export const DEFAULT_TIMERS: EndpointTimers = { t1Ms: 500, t2Ms: 4000 };

/** Answers a request: a response, null for none (ACK), or a promise of either (an INVITE that opens a socket first). */
export type RequestHandler = (req: SipRequest, from: SipPeer) => SipResponse | null | Promise<SipResponse | null>;

export class SipTimeoutError extends Error {
  constructor(method: string) {
    super(`no answer to ${method} (timer F)`);
    this.name = 'SipTimeoutError';
  }
}

interface Pending {
  resolve: (r: SipResponse) => void;
  reject: (e: Error) => void;
  timers: NodeJS.Timeout[];
}

export const newBranch = () => 'z9hG4bK' + randomBytes(8).toString('hex');
export const newTag = () => randomBytes(6).toString('hex');
export const newCallId = (host: string) => `${randomBytes(10).toString('hex')}@${host}`;

export class SipEndpoint {
  private readonly pending = new Map<string, Pending>();
  /** Responses sent per server transaction; null while the handler is still working (retransmissions wait). */
  private readonly answered = new Map<string, { response: SipResponse | null; at: number }>();
  private handler: RequestHandler = () => null;
  private readonly inviteRetransmits = new Map<string, NodeJS.Timeout[]>();

  constructor(
    readonly transport: SipTransport,
    private readonly timers: EndpointTimers = DEFAULT_TIMERS,
  ) {
    transport.onMessage((m, from) => this.receive(m, from));
  }

  onRequest(h: RequestHandler): void {
    this.handler = h;
  }

  /** Sends `req` (whose top Via has a fresh branch) and resolves with its final response. */
  request(req: SipRequest, to: SipPeer): Promise<SipResponse> {
    const key = transactionKey(req);
    return new Promise<SipResponse>((resolve, reject) => {
      const p: Pending = { resolve, reject, timers: [] };
      this.pending.set(key, p);
      const finish = () => {
        for (const t of p.timers) clearTimeout(t);
        this.pending.delete(key);
      };
      p.resolve = (r) => {
        finish();
        resolve(r);
      };
      p.reject = (e) => {
        finish();
        reject(e);
      };
      this.transport.send(req, to);
      if (this.transport.kind === 'UDP') {
        let wait = this.timers.t1Ms;
        let at = 0;
        while (at + wait < 64 * this.timers.t1Ms) {
          at += wait;
          p.timers.push(setTimeout(() => this.transport.send(req, to), at));
          wait = Math.min(wait * 2, this.timers.t2Ms);
        }
      }
      p.timers.push(setTimeout(() => p.reject(new SipTimeoutError(req.method)), 64 * this.timers.t1Ms));
    });
  }

  /** Fails every transaction in flight (the TCP link dropped: no answer can come on it). */
  abortAll(reason: string): void {
    this.close();
    for (const p of [...this.pending.values()]) p.reject(new Error(reason));
  }

  private receive(m: SipMessage, from: SipPeer): void {
    if (m.kind === 'response') {
      if (m.status < 200) return;
      this.pending.get(transactionKey(m))?.resolve(m);
      return;
    }
    if (m.method === 'ACK') this.stopRetransmitting(header(m, 'Call-ID') ?? '');
    const key = transactionKey(m);
    const now = Date.now();
    for (const [k, v] of this.answered) if (now - v.at > 64 * this.timers.t1Ms) this.answered.delete(k);
    const again = this.answered.get(key);
    if (again) return again.response ? this.transport.send(again.response, from) : undefined;
    let result: ReturnType<RequestHandler>;
    try {
      result = this.handler(m, from);
    } catch {
      result = responseTo(m, 500, 'Server Internal Error');
    }
    if (result instanceof Promise) {
      this.answered.set(key, { response: null, at: now });
      result.then(
        (r) => this.reply(key, r, from, m),
        () => this.reply(key, responseTo(m, 500, 'Server Internal Error'), from, m),
      );
      return;
    }
    this.reply(key, result, from, m);
  }

  /**
   * A 2xx to INVITE is the UAS core's to retransmit on UDP (RFC 3261 §13.3.1.4): from T1 doubling to T2
   * until the ACK arrives or 64·T1 have passed, so a lost 200 or ACK does not strand a live view.
   */
  private retransmit2xx(req: SipRequest, response: SipResponse, to: SipPeer): void {
    if (req.method !== 'INVITE' || response.status < 200 || response.status >= 300 || this.transport.kind !== 'UDP')
      return;
    const callId = header(req, 'Call-ID') ?? '';
    const timers: NodeJS.Timeout[] = [];
    let wait = this.timers.t1Ms;
    for (let at = wait; at < 64 * this.timers.t1Ms; at += wait, wait = Math.min(wait * 2, this.timers.t2Ms))
      timers.push(setTimeout(() => this.transport.send(response, to), at));
    timers.push(setTimeout(() => this.stopRetransmitting(callId), 64 * this.timers.t1Ms));
    this.inviteRetransmits.set(callId, timers);
  }

  private stopRetransmitting(callId: string): void {
    for (const t of this.inviteRetransmits.get(callId) ?? []) clearTimeout(t);
    this.inviteRetransmits.delete(callId);
  }

  /** INVITE dialogs whose 2xx is still being retransmitted (waiting for their ACK). */
  retransmitting(): number {
    return this.inviteRetransmits.size;
  }

  /** Stops every timer (the transport is closing). */
  close(): void {
    for (const id of [...this.inviteRetransmits.keys()]) this.stopRetransmitting(id);
  }

  private reply(key: string, response: SipResponse | null, from: SipPeer, req: SipRequest): void {
    if (!response) {
      this.answered.delete(key);
      return;
    }
    this.answered.set(key, { response, at: Date.now() });
    // Back where the request came from (RFC 3581 rport): on TCP the same connection; on UDP the
    // address the datagram came from, which is what reaches a device behind NAT.
    this.transport.send(response, from);
    this.retransmit2xx(req, response, from);
  }
}

function transactionKey(m: SipMessage): string {
  const via = parseVia(headerList(m, 'Via')[0] ?? '');
  const cseq = parseCSeq(header(m, 'CSeq') ?? '');
  const method = m.kind === 'request' ? m.method : (cseq?.method ?? '');
  return `${via?.params.get('branch') ?? header(m, 'Call-ID')}|${method}`;
}

/**
 * A response to `req`: Via (with received and rport filled in, RFC 3581),
 * From, To (with a tag), Call-ID and CSeq copied.
 */
export function responseTo(
  req: SipRequest,
  status: number,
  reason: string,
  o: { from?: SipPeer; toTag?: string; headers?: SipHeader[]; body?: Buffer } = {},
): SipResponse {
  const vias = req.headers.filter(([n]) => n === 'Via').map(([, v]) => v);
  if (o.from && vias.length) vias[0] = stampVia(vias[0]!, o.from);
  let to = header(req, 'To') ?? '';
  if (!/;\s*tag=/i.test(to)) to += `;tag=${o.toTag ?? newTag()}`;
  return {
    kind: 'response',
    status,
    reason,
    headers: [
      ...vias.map((v) => ['Via', v] as const),
      ['From', header(req, 'From') ?? ''],
      ['To', to],
      ['Call-ID', header(req, 'Call-ID') ?? ''],
      ['CSeq', header(req, 'CSeq') ?? ''],
      ...(o.headers ?? []),
    ],
    body: o.body ?? Buffer.alloc(0),
  };
}

/** Adds `received` and fills an empty `rport` with the address the request actually came from. */
function stampVia(via: string, from: SipPeer): string {
  let v = via.replace(/;\s*rport(?=;|$)/i, `;rport=${from.port}`);
  if (!/;\s*received=/i.test(v)) v += `;received=${from.host}`;
  return v;
}
