import { parseManscdp, type Manscdp } from '../manscdp.js';
import { CatalogAssembler, type CatalogItem, queryXml, readCatalogPage } from '../manscdp-messages.js';
import { SipDigestVerifier } from '../sip-digest.js';
import { DEFAULT_TIMERS, type EndpointTimers, newCallId, newTag, responseTo, SipEndpoint } from '../sip-endpoint.js';
import { parseNameAddr, parseSipUri } from '../sip-headers.js';
import { header, type SipRequest, type SipResponse } from '../sip-message.js';
import { messageRequest } from '../sip-requests.js';
import { ByeWatch } from '../live/bye-watch.js';
import { type SipPeer, TcpServerTransport, UdpTransport } from '../sip-transport.js';

/**
 * The gateway as the compound's GB/T 28181 platform: one SIP listener (UDP and
 * TCP on the same port) that the compound's cameras and NVRs REGISTER to.
 * Each device runtime attaches its 20-digit id, password and keepalive rule;
 * an id nobody attached is refused with 403 before any challenge, a wrong
 * password with 403 after it (GB/T 28181-2016 §9.1.2: a failed authentication
 * is answered 403). The server tells each attached device what happens to it
 * (registered, offline and why, a MANSCDP message) and asks it for its Catalog.
 */

export interface GbDeviceServerOptions {
  /** The platform's 20-digit id (what cameras call "SIP服务器编号") and SIP domain (the digest realm). */
  id: string;
  domain: string;
  host: string;
  port: number;
  timers?: EndpointTimers;
}

export type OfflineReason = 'keepalive' | 'expired' | 'unregistered';

export interface AttachedDevice {
  password: () => string;
  /** Offline after this long without a keepalive or REGISTER. */
  keepaliveTimeoutMs: number;
  onRegistered(peer: SipPeer, expiresS: number): void;
  onOffline(why: OfflineReason): void;
  onRefused(why: string): void;
  onMessage(m: Manscdp, method: string): void;
}

interface Registration {
  peer: SipPeer;
  contact: string;
  expiresAt: number;
  lastSeen: number;
}

export class GbDeviceServer {
  private udp: SipEndpoint | null = null;
  private tcp: SipEndpoint | null = null;
  private readonly attached = new Map<string, AttachedDevice>();
  private readonly registered = new Map<string, Registration>();
  private readonly waiting = new Map<number, (m: Manscdp) => void>();
  private readonly verifier: SipDigestVerifier;
  private readonly byes = new ByeWatch();
  private tick: NodeJS.Timeout | null = null;
  private sn = 1;
  private cseq = 1;

  constructor(readonly o: GbDeviceServerOptions) {
    this.verifier = new SipDigestVerifier(o.domain, (u) => this.attached.get(u)?.password(), {
      qop: true,
      nonceTtlMs: 300_000,
    });
  }

  async start(): Promise<void> {
    const tcp = await TcpServerTransport.listen(this.o.host, this.o.port);
    let udp: UdpTransport;
    try {
      udp = await UdpTransport.open(this.o.host, tcp.local().port);
    } catch (err) {
      await tcp.close();
      throw err;
    }
    this.udp = new SipEndpoint(udp, this.o.timers ?? DEFAULT_TIMERS);
    this.tcp = new SipEndpoint(tcp, this.o.timers ?? DEFAULT_TIMERS);
    for (const ep of [this.udp, this.tcp]) ep.onRequest((req, from) => this.onRequest(req, from));
    this.tick = setInterval(() => this.sweep(), 100);
  }

  get port(): number {
    return this.tcp?.transport.local().port ?? 0;
  }

  async stop(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    for (const ep of [this.udp, this.tcp]) {
      ep?.close();
      await ep?.transport.close();
    }
    this.udp = this.tcp = null;
  }

  attach(deviceId: string, d: AttachedDevice): () => void {
    if (this.attached.has(deviceId))
      throw new Error(`GB/T 28181 device id ${deviceId} is configured twice on port ${this.o.port}`);
    this.attached.set(deviceId, d);
    return () => {
      this.attached.delete(deviceId);
      this.registered.delete(deviceId);
    };
  }

  devices(): number {
    return this.attached.size;
  }

  /** Asks a registered device (an NVR) for its Catalog; resolves when SumNum channels have arrived, over any number of pages. */
  catalog(deviceId: string, timeoutMs: number): Promise<CatalogItem[]> {
    const r = this.registered.get(deviceId);
    const ep = r?.peer.transport === 'TCP' ? this.tcp : this.udp;
    if (!r || !ep) return Promise.reject(new Error(`${deviceId} is not registered`));
    const sn = this.sn++;
    const local = ep.transport.local();
    const req = messageRequest(
      {
        ...{ id: this.o.id, domain: this.o.domain, peerId: deviceId, peerDomain: deviceId.slice(0, 10) },
        ...{ transport: r.peer.transport, contactHost: local.host, contactPort: local.port, fromTag: newTag() },
      },
      { cseq: this.cseq++, callId: newCallId(local.host), xml: queryXml('Catalog', deviceId, sn), charset: 'GB2312' },
    );
    const contact = parseSipUri(r.contact);
    if (contact) req.uri = `sip:${deviceId}@${contact.host}:${contact.port ?? 5060}`;
    const assembler = new CatalogAssembler();
    return new Promise<CatalogItem[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(sn);
        reject(new Error(`目录查询超时 — no complete Catalog answer from ${deviceId} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(sn, (m) => {
        const page = readCatalogPage(m);
        if (page.ok) assembler.add(page.value);
        if (!assembler.done()) return;
        clearTimeout(timer);
        this.waiting.delete(sn);
        resolve(assembler.result());
      });
      ep.request(req, r.peer).then(
        (res) => res.status >= 300 && reject(new Error(`Catalog refused: ${res.status} ${res.reason}`)),
        (err: Error) => reject(err),
      );
    });
  }

  /** Sends a MANSCDP body to a registered device (a DeviceControl forwarded from the upper platform); resolves with the SIP status. */
  async message(deviceId: string, xml: string): Promise<number> {
    const r = this.registered.get(deviceId);
    const ep = r?.peer.transport === 'TCP' ? this.tcp : this.udp;
    if (!r || !ep) throw new Error(`${deviceId} is not registered`);
    const local = ep.transport.local();
    const req = messageRequest(
      {
        ...{ id: this.o.id, domain: this.o.domain, peerId: deviceId, peerDomain: deviceId.slice(0, 10) },
        ...{ transport: r.peer.transport, contactHost: local.host, contactPort: local.port, fromTag: newTag() },
      },
      { cseq: this.cseq++, callId: newCallId(local.host), xml, charset: 'GB2312' },
    );
    const contact = parseSipUri(r.contact);
    if (contact) req.uri = `sip:${deviceId}@${contact.host}:${contact.port ?? 5060}`;
    return (await ep.request(req, r.peer)).status;
  }

  /** How to reach a registered device (live view and snapshots: live/invite-live.ts inviteLive). */
  route(deviceId: string) {
    const r = this.registered.get(deviceId);
    const ep = r?.peer.transport === 'TCP' ? this.tcp : this.udp;
    return r && ep ? { device: r, endpoint: ep, id: this.o.id, domain: this.o.domain } : null;
  }

  /** A camera's BYE for a live view we INVITEd (its stream ended) calls `onBye` (inviteLive watches its calls). */
  watchCall(callId: string, onBye: () => void): () => void {
    return this.byes.watch(callId, onBye);
  }

  private onRequest(req: SipRequest, from: SipPeer): SipResponse | null {
    const fromUser = parseSipUri(parseNameAddr(header(req, 'From') ?? '')?.uri ?? '')?.user ?? '';
    if (req.method === 'REGISTER') return this.onRegister(req, from, fromUser);
    const bye = this.byes.handle(req, from);
    if (bye) return bye;
    if (req.method !== 'MESSAGE' && req.method !== 'NOTIFY')
      return responseTo(req, 405, 'Method Not Allowed', { from });
    const d = this.attached.get(fromUser);
    const r = this.registered.get(fromUser);
    // A device that is not registered (expired, unregistered, or we restarted) must REGISTER again.
    if (!d || !r) return responseTo(req, 403, 'Forbidden', { from });
    const m = parseManscdp(req.body, header(req, 'Content-Type'));
    if (!m.ok) return responseTo(req, 400, 'Bad Request', { from });
    r.lastSeen = Date.now();
    r.peer = from;
    if (m.value.root === 'Response') this.waiting.get(m.value.sn)?.(m.value);
    else d.onMessage(m.value, req.method);
    return responseTo(req, 200, 'OK', { from });
  }

  private onRegister(req: SipRequest, from: SipPeer, fromUser: string): SipResponse {
    const d = this.attached.get(fromUser);
    if (!d) return responseTo(req, 403, 'Forbidden', { from });
    const verdict = this.verifier.check(req);
    if (!verdict.ok && verdict.reason === 'bad') {
      d.onRefused('密码错误 — wrong password in REGISTER');
      return responseTo(req, 403, 'Forbidden', { from });
    }
    if (!verdict.ok)
      return responseTo(req, 401, 'Unauthorized', { from, headers: [['WWW-Authenticate', verdict.challenge]] });
    if (verdict.username !== fromUser) {
      d.onRefused(`认证用户名 ${verdict.username} 与设备编码不符 — digest username is not the device id`);
      return responseTo(req, 403, 'Forbidden', { from });
    }
    const asked = Number(header(req, 'Expires') ?? /expires=(\d+)/i.exec(header(req, 'Contact') ?? '')?.[1] ?? 3600);
    const expires = Number.isFinite(asked) ? Math.max(0, Math.min(asked, 86_400)) : 3600;
    if (expires === 0) {
      if (this.registered.delete(fromUser)) d.onOffline('unregistered');
      return responseTo(req, 200, 'OK', { from, headers: [['Expires', '0']] });
    }
    const now = Date.now();
    const contact = parseNameAddr(header(req, 'Contact') ?? '')?.uri ?? '';
    this.registered.set(fromUser, { peer: from, contact, expiresAt: now + expires * 1000, lastSeen: now });
    d.onRegistered(from, expires);
    return responseTo(req, 200, 'OK', {
      from,
      headers: [
        ['Contact', header(req, 'Contact') ?? ''],
        ['Expires', String(expires)],
        // Cameras set their clock from this (GB/T 28181 §9.10 校时): Beijing time, no zone.
        ['Date', new Date(now + 8 * 3600_000).toISOString().slice(0, 23)],
      ],
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, r] of this.registered) {
      const d = this.attached.get(id);
      if (!d) continue;
      const why = now > r.expiresAt ? 'expired' : now - r.lastSeen > d.keepaliveTimeoutMs ? 'keepalive' : null;
      if (!why) continue;
      this.registered.delete(id);
      d.onOffline(why);
    }
  }
}
