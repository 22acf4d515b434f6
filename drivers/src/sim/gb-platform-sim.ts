import { EventEmitter } from 'node:events';
import { buildManscdp, child, children, parseManscdp, type Manscdp, text0 } from '../gb28181/manscdp.js';
import {
  type AlarmNotify,
  CatalogAssembler,
  type CatalogItem,
  queryXml,
  readAlarm,
  readCatalogPage,
} from '../gb28181/manscdp-messages.js';
import { ByeWatch } from '../gb28181/live/bye-watch.js';
import { SipDigestVerifier } from '../gb28181/sip-digest.js';
import {
  DEFAULT_TIMERS,
  type EndpointTimers,
  newCallId,
  newTag,
  responseTo,
  SipEndpoint,
} from '../gb28181/sip-endpoint.js';
import { parseNameAddr, parseSipUri } from '../gb28181/sip-headers.js';
import { header, type SipRequest, type SipResponse } from '../gb28181/sip-message.js';
import { messageRequest } from '../gb28181/sip-requests.js';
import { type SipPeer, TcpServerTransport, UdpTransport } from '../gb28181/sip-transport.js';

/**
 * A GB/T 28181 upper platform (上级平台) for tests, demos and training: takes
 * REGISTERs over UDP and TCP on one port with digest auth, marks a device
 * offline when its keepalives stop, asks for Catalog / DeviceInfo /
 * DeviceStatus and collects paged answers, and records Alarm notifications.
 * `restart()` forgets every registration and drops connections, as a platform
 * that restarts does.
 */

export interface GbPlatformSimOptions {
  id: string;
  domain: string;
  host?: string;
  port?: number;
  /** One password for every device (a city platform usually has one per lower platform; the sim keeps it simple). */
  password: string;
  /** A device is offline after this long without a keepalive or REGISTER. */
  keepaliveTimeoutMs: number;
  /** Registration lifetime granted (the device's Expires, capped). */
  maxExpiresS?: number;
  qop?: boolean;
  timers?: EndpointTimers;
}

export interface RegisteredDevice {
  id: string;
  online: boolean;
  peer: SipPeer;
  expiresAt: number;
  lastSeen: number;
  contact: string;
  registrations: number;
  /** X-GB-Ver from the REGISTER (3.0: GB/T 28181-2022), null when the device did not say. */
  gbVersion: string | null;
}

export interface GbPlatformEvents {
  registered: [RegisteredDevice];
  unregistered: [string];
  offline: [string, 'keepalive' | 'expired'];
  keepalive: [string];
  refused: [string, string];
  alarm: [AlarmNotify, Manscdp];
  /** A catalog NOTIFY in a subscription: each channel and its Event (ON, OFF, ADD, DEL, UPDATE). */
  catalogChange: [string, { deviceId: string; event: string }[]];
  message: [Manscdp];
}

export class GbPlatformSimulator extends EventEmitter<GbPlatformEvents> {
  private udp: SipEndpoint | null = null;
  private tcp: SipEndpoint | null = null;
  private tcpTransport: TcpServerTransport | null = null;
  private readonly verifier: SipDigestVerifier;
  readonly devices = new Map<string, RegisteredDevice>();
  private readonly responses = new Map<number, (m: Manscdp) => void>();
  private readonly alarms: AlarmNotify[] = [];
  private readonly byes = new ByeWatch();
  private sn = 1;
  private cseq = 1;
  private tick: NodeJS.Timeout | null = null;
  port = 0;

  constructor(private readonly o: GbPlatformSimOptions) {
    super();
    this.verifier = new SipDigestVerifier(o.domain, () => o.password, { qop: o.qop ?? true, nonceTtlMs: 300_000 });
  }

  async start(): Promise<void> {
    const host = this.o.host ?? '127.0.0.1';
    // UDP and TCP on the same port number, as platforms publish one "SIP port".
    for (let attempt = 0; ; attempt++) {
      const tcp = await TcpServerTransport.listen(host, this.o.port ?? this.port);
      try {
        const udp = await UdpTransport.open(host, tcp.local().port);
        this.tcpTransport = tcp;
        this.udp = new SipEndpoint(udp, this.o.timers ?? DEFAULT_TIMERS);
        this.tcp = new SipEndpoint(tcp, this.o.timers ?? DEFAULT_TIMERS);
        break;
      } catch (err) {
        await tcp.close();
        if (attempt >= 5 || this.o.port) throw err;
      }
    }
    this.port = this.tcpTransport.local().port;
    for (const ep of [this.udp, this.tcp]) ep.onRequest((req, from) => this.onRequest(req, from));
    this.tick = setInterval(() => this.sweep(), Math.max(50, Math.min(500, this.o.keepaliveTimeoutMs / 4)));
  }

  async stop(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    await this.udp?.transport.close();
    await this.tcp?.transport.close();
    this.udp = this.tcp = null;
    this.tcpTransport = null;
  }

  /** Stops and starts again on the same port with no memory of any device. */
  async restart(): Promise<void> {
    const port = this.port;
    await this.stop();
    this.devices.clear();
    this.o.port = port;
    await this.start();
  }

  received(): AlarmNotify[] {
    return [...this.alarms];
  }

  /** Asks a registered device for its catalog; resolves when SumNum channels have arrived over however many pages. */
  catalog(deviceId: string): Promise<CatalogItem[]> {
    const assembler = new CatalogAssembler();
    return this.query(
      deviceId,
      'Catalog',
      (m) => {
        const page = readCatalogPage(m);
        if (page.ok) assembler.add(page.value);
        return assembler.done() ? assembler.result() : undefined;
      },
      (sn) => queryXml('Catalog', deviceId, sn),
    );
  }

  /** DeviceInfo or DeviceStatus: the one Response message. */
  ask(deviceId: string, cmd: 'DeviceInfo' | 'DeviceStatus'): Promise<Manscdp> {
    return this.query(
      deviceId,
      cmd,
      (m) => m,
      (sn) => queryXml(cmd, deviceId, sn),
    );
  }

  /**
   * A DeviceControl with a PTZCmd (A.3: 8 bytes as 16 hex digits) for a channel of a registered device (the
   * device itself when they are the same); resolves with the device's DeviceControl Response (Result OK/ERROR).
   */
  deviceControl(deviceId: string, channelId: string, ptzHex: string): Promise<Manscdp> {
    const xml = (sn: number) =>
      buildManscdp(
        'Control',
        { cmdType: 'DeviceControl', sn, deviceId: channelId },
        [
          ['PTZCmd', ptzHex],
          ['Info', [['ControlPriority', 5]]],
        ],
        'GB2312',
      );
    return this.query(deviceId, 'DeviceControl', (m) => m, xml);
  }

  /**
   * Subscribes to a device's catalog changes (SUBSCRIBE, Event: Catalog), or refreshes / ends (Expires 0)
   * the subscription whose Call-ID is given; resolves with the status and the dialog's Call-ID.
   */
  async subscribeCatalog(
    deviceId: string,
    expiresS: number,
    dialog?: string,
  ): Promise<{ status: number; callId: string }> {
    const route = this.route(deviceId);
    if (!route) throw new Error(`${deviceId} is not registered`);
    const { device, endpoint: ep } = route;
    const local = ep.transport.local();
    const req = messageRequest(
      {
        ...{ id: this.o.id, domain: this.o.domain, peerId: deviceId, peerDomain: deviceId.slice(0, 10) },
        ...{ transport: device.peer.transport, contactHost: local.host, contactPort: local.port, fromTag: newTag() },
      },
      {
        cseq: this.cseq++,
        callId: dialog ?? newCallId('platform'),
        xml: queryXml('Catalog', deviceId, this.sn++),
        charset: 'GB2312',
      },
    );
    const contact = parseSipUri(device.contact);
    req.method = 'SUBSCRIBE';
    req.uri = contact ? `sip:${deviceId}@${contact.host}:${contact.port ?? 5060}` : req.uri;
    req.headers = req.headers.map(([n, v]) => [n, n === 'CSeq' ? v.replace('MESSAGE', 'SUBSCRIBE') : v] as const);
    req.headers.push(
      ['Event', 'Catalog'],
      ['Expires', String(expiresS)],
      ['Contact', `<sip:${this.o.id}@${local.host}:${local.port}>`],
    );
    const callId = req.headers.find(([n]) => n === 'Call-ID')![1];
    return { status: (await ep.request(req, device.peer)).status, callId };
  }

  /** How to reach a registered device: its record, the endpoint it registered on, our identity (live view). */
  route(deviceId: string): { device: RegisteredDevice; endpoint: SipEndpoint; id: string; domain: string } | null {
    const d = this.devices.get(deviceId);
    const ep = d?.peer.transport === 'TCP' ? this.tcp : this.udp;
    return d && ep ? { device: d, endpoint: ep, id: this.o.id, domain: this.o.domain } : null;
  }

  private query<T>(
    deviceId: string,
    cmd: 'Catalog' | 'DeviceInfo' | 'DeviceStatus' | 'DeviceControl',
    take: (m: Manscdp) => T | undefined,
    body: (sn: number) => string,
  ): Promise<T> {
    const d = this.devices.get(deviceId);
    if (!d?.online) return Promise.reject(new Error(`${deviceId} is not online`));
    const sn = this.sn++;
    const ep = d.peer.transport === 'TCP' ? this.tcp! : this.udp!;
    const contact = parseSipUri(d.contact);
    const req = messageRequest(
      {
        id: this.o.id,
        domain: this.o.domain,
        peerId: deviceId,
        peerDomain: deviceId.slice(0, 10),
        transport: d.peer.transport,
        contactHost: ep.transport.local().host,
        contactPort: ep.transport.local().port,
        fromTag: newTag(),
      },
      { cseq: this.cseq++, callId: newCallId('platform'), xml: body(sn), charset: 'GB2312' },
    );
    if (contact) req.uri = `sip:${deviceId}@${contact.host}:${contact.port ?? 5060}`;
    return new Promise<T>((resolve, reject) => {
      this.responses.set(sn, (m) => {
        if (m.cmdType !== cmd || m.root !== 'Response') return;
        const v = take(m);
        if (v === undefined) return;
        this.responses.delete(sn);
        resolve(v);
      });
      ep.request(req, d.peer).then(
        (r) => r.status >= 300 && reject(new Error(`${cmd} refused: ${r.status} ${r.reason}`)),
        (err: Error) => reject(err),
      );
    });
  }

  /** A device's BYE for a live view we INVITEd (its stream ended) calls `onBye` (inviteLive watches its calls). */
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
    const d = this.devices.get(fromUser);
    // A device this platform does not hold (it restarted, or expired the device) must register again.
    if (!d || !d.online) return responseTo(req, 403, 'Forbidden', { from });
    const m = parseManscdp(req.body, header(req, 'Content-Type'));
    if (!m.ok) return responseTo(req, 400, 'Bad Request', { from });
    d.lastSeen = Date.now();
    d.peer = from;
    if (m.value.cmdType === 'Keepalive') this.emit('keepalive', fromUser);
    if (req.method === 'NOTIFY' && m.value.cmdType === 'Catalog') {
      const items = children(child(m.value.body, 'DeviceList'), 'Item');
      this.emit(
        'catalogChange',
        fromUser,
        items.map((it) => ({ deviceId: text0(it.DeviceID), event: text0(it.Event) })),
      );
    }
    const alarm = readAlarm(m.value);
    if (alarm) {
      this.alarms.push(alarm);
      this.emit('alarm', alarm, m.value);
    }
    this.emit('message', m.value);
    this.responses.get(m.value.sn)?.(m.value);
    return responseTo(req, 200, 'OK', { from });
  }

  private onRegister(req: SipRequest, from: SipPeer, fromUser: string): SipResponse {
    const verdict = this.verifier.check(req);
    if (!verdict.ok) {
      if (verdict.reason === 'bad') this.emit('refused', fromUser, 'wrong password');
      return responseTo(req, 401, 'Unauthorized', { from, headers: [['WWW-Authenticate', verdict.challenge]] });
    }
    const expires = Math.min(Number(header(req, 'Expires') ?? 3600), this.o.maxExpiresS ?? 86_400);
    if (expires === 0) {
      this.devices.delete(fromUser);
      this.emit('unregistered', fromUser);
      return responseTo(req, 200, 'OK', { from, headers: [['Expires', '0']] });
    }
    const before = this.devices.get(fromUser);
    const d: RegisteredDevice = {
      id: fromUser,
      online: true,
      peer: from,
      expiresAt: Date.now() + expires * 1000,
      lastSeen: Date.now(),
      contact: parseNameAddr(header(req, 'Contact') ?? '')?.uri ?? '',
      registrations: (before?.registrations ?? 0) + 1,
      gbVersion: header(req, 'X-GB-Ver') ?? null,
    };
    this.devices.set(fromUser, d);
    this.emit('registered', d);
    return responseTo(req, 200, 'OK', {
      from,
      headers: [
        ['Contact', header(req, 'Contact') ?? ''],
        ['Expires', String(expires)],
        ['Date', new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 23)],
      ],
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const d of this.devices.values()) {
      if (!d.online) continue;
      const why = now > d.expiresAt ? 'expired' : now - d.lastSeen > this.o.keepaliveTimeoutMs ? 'keepalive' : null;
      if (!why) continue;
      d.online = false;
      this.emit('offline', d.id, why);
    }
  }
}
