import { parseManscdp, type Charset, type Manscdp } from './manscdp.js';
import { keepaliveXml } from './manscdp-messages.js';
import { sipAuthorization, sipChallenge } from './sip-digest.js';
import { DEFAULT_TIMERS, type EndpointTimers, newCallId, newTag, responseTo, SipEndpoint } from './sip-endpoint.js';
import { parseVia } from './sip-headers.js';
import { header, headerList, type SipRequest, type SipResponse } from './sip-message.js';
import { messageRequest, registerRequest, type SipParty } from './sip-requests.js';
import { type SipPeer, type SipTransportKind, TcpClientTransport, UdpTransport } from './sip-transport.js';
import { describeSipError, RegisterRefused } from './link-errors.js';

/**
 * A GB/T 28181 lower side (下级平台 or device) keeping itself registered to
 * one upper platform: REGISTER with digest, refreshed before expiry; a
 * Keepalive MESSAGE every `keepaliveS`; after `keepaliveMisses` unanswered
 * keepalives, a refused one (the platform restarted and forgot us) or a
 * dropped TCP link, register again after a capped, jittered backoff. Behind
 * NAT it adopts the address the platform saw (Via received/rport) as its
 * Contact. Queries from the platform are answered with 200 and then MESSAGEs
 * built by `answer`.
 */

export interface LowerAgentOptions {
  deviceId: string;
  serverId: string;
  serverDomain: string;
  serverHost: string;
  serverPort: number;
  transport: SipTransportKind;
  /** Digest username; the device id unless the platform gave a separate account. */
  username?: string;
  /** A function is asked before every registration: a password file fixed on site is picked up without a restart. */
  password: string | (() => string);
  expiresS: number;
  keepaliveS: number;
  keepaliveMisses: number;
  charset: Charset;
  /** Sent as X-GB-Ver in REGISTER (GB/T 28181-2022 asks for it: 3.0); absent for 2016 platforms. */
  gbVersion?: '2.0' | '3.0';
  bindHost?: string;
  timers?: EndpointTimers;
  backoffMaxMs?: number;
  /**
   * The MANSCDP bodies answering a Query or a Control (DeviceControl) from the platform, sent as MESSAGEs
   * after the 200; a Control's answer may take a while (the camera is driven first).
   */
  answer: (query: Manscdp) => string[] | Promise<string[]>;
  /** Requests other than MESSAGE (INVITE, ACK, BYE for live view); 405 when absent or when it returns undefined. */
  handle?: (req: SipRequest, from: SipPeer) => SipResponse | null | undefined | Promise<SipResponse | null>;
  /** The link to the platform was lost (it forgot us, or is unreachable): its media sessions are gone too. */
  onLost?: () => void;
  onState?: (s: LinkStatus) => void;
}

export type LinkState = 'stopped' | 'connecting' | 'registering' | 'registered' | 'retrying';

export interface LinkStatus {
  state: LinkState;
  since: number;
  /** The last failure in words, kept after recovery so `linli-gateway test` can show it. */
  lastError: string | null;
  lastErrorAt: number | null;
  registeredUntil: number | null;
  /** The address the platform sees us at (NAT), once it has said. */
  publicAddress: string | null;
  registrations: number;
}

type Wake = 'refresh' | 'lost' | 'stop';

export class LowerAgent {
  private endpoint: SipEndpoint | null = null;
  private party: SipParty | null = null;
  private readonly callId: string;
  private cseq = 1;
  private sn = 1;
  private stopped = true;
  private failures = 0;
  private wake: ((w: Wake) => void) | null = null;
  private loop: Promise<void> | null = null;
  /**
   * The UDP port of this run's first link, bound again after a lost link: a device keeps its SIP port, so the
   * platform's route to it (and a NAT mapping in between) stays what it was. A stopped agent starts afresh.
   */
  private udpPort = 0;
  private readonly timers: EndpointTimers;
  private st: LinkStatus = {
    state: 'stopped',
    since: Date.now(),
    lastError: null,
    lastErrorAt: null,
    registeredUntil: null,
    publicAddress: null,
    registrations: 0,
  };

  constructor(private readonly o: LowerAgentOptions) {
    this.callId = newCallId(o.deviceId);
    this.timers = o.timers ?? DEFAULT_TIMERS;
  }

  status(): LinkStatus {
    return { ...this.st };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.('stop');
    await this.loop;
    if (this.st.state === 'registered') await this.unregister().catch(() => undefined);
    await this.closeTransport();
    this.udpPort = 0;
    this.setState('stopped');
  }

  /** Sends a MANSCDP body (an Alarm) to the platform; false when not registered or not answered. */
  async notify(xml: string): Promise<boolean> {
    if (this.st.state !== 'registered' || !this.endpoint || !this.party) return false;
    try {
      const r = await this.send(
        messageRequest(this.party, {
          cseq: this.cseq++,
          callId: newCallId(this.party.contactHost),
          xml,
          charset: this.o.charset,
        }),
      );
      return r.status >= 200 && r.status < 300;
    } catch {
      return false;
    }
  }

  /** The next serial number for a message this side starts. */
  nextSn(): number {
    return this.sn++;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.endpoint) await this.openTransport();
        await this.register(this.o.expiresS);
        this.failures = 0;
        const why = await this.keepUp();
        if (why === 'stop') break;
        if (why === 'lost') {
          this.o.onLost?.();
          await this.closeTransport();
        }
        if (why !== 'refresh') this.setState('retrying');
      } catch (err) {
        this.fail(err);
        await this.closeTransport();
        this.setState('retrying');
        const cap = this.o.backoffMaxMs ?? 30_000;
        const delay = Math.min(cap, 500 * 2 ** Math.min(this.failures++, 10)) * (0.5 + Math.random() / 2);
        if ((await this.sleep(delay)) === 'stop') break;
      }
    }
  }

  private async openTransport(): Promise<void> {
    this.setState('connecting');
    const bind = this.o.bindHost ?? '0.0.0.0';
    const t =
      this.o.transport === 'TCP'
        ? await TcpClientTransport.connect(this.o.serverHost, this.o.serverPort, 64 * this.timers.t1Ms)
        : await this.openUdp(bind);
    if (t instanceof TcpClientTransport) {
      t.onClose(() => {
        this.fail(new Error(`TCP link to ${this.o.serverHost}:${this.o.serverPort} closed by the upper platform`));
        this.endpoint?.abortAll('TCP link closed');
        this.wake?.('lost');
      });
    }
    this.endpoint = new SipEndpoint(t, this.timers);
    this.endpoint.onRequest((req, from) => this.onRequest(req, from));
    const local = t.local();
    const host =
      local.host === '0.0.0.0' || local.host === '::'
        ? this.o.bindHost && this.o.bindHost !== '0.0.0.0'
          ? this.o.bindHost
          : '127.0.0.1'
        : local.host;
    this.party = {
      id: this.o.deviceId,
      domain: this.o.deviceId.slice(0, 10),
      peerId: this.o.serverId,
      peerDomain: this.o.serverDomain,
      transport: this.o.transport,
      contactHost: host,
      contactPort: local.port,
      fromTag: newTag(),
    };
  }

  private async openUdp(bind: string): Promise<UdpTransport> {
    if (this.udpPort) {
      try {
        return await UdpTransport.open(bind, this.udpPort);
      } catch (err) {
        // Taken by another process meanwhile: a new port, as after a reboot; the REGISTER tells the platform.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
    const t = await UdpTransport.open(bind, 0);
    this.udpPort = t.local().port;
    return t;
  }

  private async closeTransport(): Promise<void> {
    const ep = this.endpoint;
    this.endpoint = null;
    ep?.abortAll('transport closed');
    await ep?.transport.close();
  }

  private get version(): { gbVersion?: '2.0' | '3.0' } {
    return this.o.gbVersion ? { gbVersion: this.o.gbVersion } : {};
  }

  private get server(): SipPeer {
    return { transport: this.o.transport, host: this.o.serverHost, port: this.o.serverPort };
  }

  private send(req: SipRequest): Promise<SipResponse> {
    if (!this.endpoint) return Promise.reject(new Error('no transport'));
    return this.endpoint.request(req, this.server);
  }

  /** REGISTER, answering one digest challenge; follows the address the platform reports once (NAT). */
  private async register(expiresS: number, natHops = 0): Promise<void> {
    const p = this.party!;
    if (this.st.state !== 'registered') this.setState('registering');
    let r = await this.send(registerRequest(p, { cseq: this.cseq++, callId: this.callId, expiresS, ...this.version }));
    const challenged = r.status === 401 || r.status === 407 ? sipChallenge(r) : null;
    if (challenged) {
      const authorization = sipAuthorization({
        challenge: challenged.challenge,
        username: this.o.username ?? this.o.deviceId,
        password: typeof this.o.password === 'function' ? this.o.password() : this.o.password,
        method: 'REGISTER',
        uri: `sip:${p.peerId}@${p.peerDomain}`,
        nc: 1,
      });
      r = await this.send(
        registerRequest(p, { cseq: this.cseq++, callId: this.callId, expiresS, authorization, ...this.version }),
      );
    }
    if (r.status < 200 || r.status >= 300) throw new RegisterRefused(r.status, r.reason, challenged !== null);
    if (expiresS === 0) return;
    const seen = parseVia(headerList(r, 'Via')[0] ?? '');
    const host = seen?.params.get('received') || p.contactHost;
    const rport = Number(seen?.params.get('rport'));
    const port = Number.isInteger(rport) && rport > 0 ? rport : p.contactPort;
    this.st.publicAddress = `${host}:${port}`;
    if ((host !== p.contactHost || port !== p.contactPort) && natHops === 0 && this.o.transport === 'UDP') {
      // Behind NAT: the platform must reach us where it saw us, so register that address as our Contact.
      p.contactHost = host;
      p.contactPort = port;
      return this.register(expiresS, 1);
    }
    const granted = Number(header(r, 'Expires') ?? /expires=(\d+)/i.exec(header(r, 'Contact') ?? '')?.[1] ?? expiresS);
    this.st.registeredUntil = Date.now() + (granted > 0 ? granted : expiresS) * 1000;
    this.st.registrations++;
    this.setState('registered');
  }

  private async unregister(): Promise<void> {
    if (!this.endpoint || !this.party) return;
    await Promise.race([this.register(0), new Promise((r) => setTimeout(r, 4 * this.timers.t1Ms))]);
  }

  /** Keepalives until a refresh is due, the link is lost or the agent stops. */
  private async keepUp(): Promise<Wake> {
    const refreshAt = Date.now() + Math.max(1000, ((this.st.registeredUntil ?? 0) - Date.now()) * 0.6);
    let misses = 0;
    for (;;) {
      const until = Math.min(refreshAt - Date.now(), this.o.keepaliveS * 1000);
      const w = await this.sleep(Math.max(0, until));
      if (w !== 'refresh') return w;
      if (Date.now() >= refreshAt) return 'refresh';
      const xml = keepaliveXml(this.o.deviceId, this.nextSn(), this.o.charset);
      try {
        const r = await this.send(
          messageRequest(this.party!, {
            cseq: this.cseq++,
            callId: newCallId(this.party!.contactHost),
            xml,
            charset: this.o.charset,
          }),
        );
        if (r.status >= 300) {
          // The platform no longer knows us (restarted, or expired us): register again now.
          this.fail(
            new Error(
              `keepalive refused: ${r.status} ${r.reason} (the upper platform no longer has this registration)`,
            ),
          );
          return 'lost';
        }
        misses = 0;
      } catch (err) {
        if (this.stopped) return 'stop';
        misses++;
        if (misses >= this.o.keepaliveMisses) {
          this.fail(
            new Error(`${misses} keepalives unanswered: the upper platform is unreachable (${(err as Error).message})`),
          );
          return 'lost';
        }
      }
    }
  }

  /** Sends a request of ours (a NOTIFY) to the platform; rejects when not connected or unanswered. */
  request(req: SipRequest): Promise<SipResponse> {
    return this.send(req);
  }

  /** How requests of ours must say who and where we are (Via, From, Contact). */
  identity(): { party: SipParty; nextCseq: () => number } | null {
    return this.party ? { party: this.party, nextCseq: () => this.cseq++ } : null;
  }

  /** Our address as the platform should reach it (the one registered as Contact). */
  contact(): { host: string; port: number } | null {
    return this.party ? { host: this.party.contactHost, port: this.party.contactPort } : null;
  }

  private onRequest(req: SipRequest, from: SipPeer): SipResponse | null | Promise<SipResponse | null> {
    if (req.method !== 'MESSAGE') {
      const r = this.o.handle?.(req, from);
      if (r !== undefined) return r;
      return responseTo(req, 405, 'Method Not Allowed', { headers: [['Allow', 'MESSAGE']] });
    }
    const m = parseManscdp(req.body, header(req, 'Content-Type'));
    if (!m.ok) return responseTo(req, 400, 'Bad Request', { from });
    const q = m.value;
    // Answers follow the 200 as requests of their own (GB/T 28181 §9.5), after the 200 has gone.
    if (q.root === 'Query' || q.root === 'Control')
      setImmediate(() => {
        void (async () => {
          let answers: string[];
          try {
            answers = await this.o.answer(q);
          } catch {
            return;
          }
          for (const xml of answers) {
            if (!this.party || !this.endpoint) return;
            await this.send(
              messageRequest(this.party, {
                cseq: this.cseq++,
                callId: newCallId(this.party.contactHost),
                xml,
                charset: this.o.charset,
              }),
            ).catch(() => undefined);
          }
        })();
      });
    return responseTo(req, 200, 'OK', { from });
  }

  private sleep(ms: number): Promise<Wake> {
    return new Promise<Wake>((resolve) => {
      if (this.stopped) return resolve('stop');
      const t = setTimeout(() => done('refresh'), ms);
      const done = (w: Wake) => {
        clearTimeout(t);
        this.wake = null;
        resolve(w);
      };
      this.wake = done;
    });
  }

  private fail(err: unknown): void {
    this.st.lastError = describeSipError(err, `${this.o.serverHost}:${this.o.serverPort}`, this.o.transport);
    this.st.lastErrorAt = Date.now();
    this.o.onState?.(this.status());
  }

  private setState(s: LinkState): void {
    if (this.st.state === s) return;
    this.st = { ...this.st, state: s, since: Date.now(), ...(s !== 'registered' ? { registeredUntil: null } : {}) };
    this.o.onState?.(this.status());
  }
}
