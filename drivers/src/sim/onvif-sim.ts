import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sceneJpeg } from './camera-scene.js';
import * as soap from './onvif-soap.js';
import { type PullPointBehaviour, PULLPOINT_ACTIONS, PullPointService } from './pullpoint-sim.js';
import { PTZ_ACTIONS, PtzService } from './ptz-sim.js';
import { verifyUsernameToken } from './ws-security.js';

export type SimEventKind = 'motion' | 'tamper' | 'thrown';

export interface OnvifSimOptions {
  name: string;
  host?: string;
  /** SOAP/HTTP port; 0 = ephemeral. */
  port?: number;
  /** WS-Discovery UDP port; 0 = ephemeral, 3702 = the real one (joins the multicast group), null = off. */
  discoveryPort?: number | null;
  username: string;
  password: string;
  /** The RTSP URL GetStreamUri returns (a real RTSP server, e.g. startRtspServer()). */
  rtspUrl: string;
  /** Serve an HTTP snapshot URI (Digest-protected). Off: cameras without one make the gateway use RTSP. */
  snapshot?: boolean;
  /** Faults for tests: 'malformed' answers media calls with broken SOAP; 'no-profiles' has no media profile. */
  fault?: 'malformed' | 'no-profiles' | null;
  /** Longest a PullMessages waits for an event before answering empty (0 = at once, as many real cameras do). */
  maxPullWaitMs?: number;
  /** false: no event service at all (no PullPoint), as on some cheap cameras. */
  events?: boolean;
  /** How the event service grants and renews subscriptions. */
  pullPoint?: Omit<PullPointBehaviour, 'maxPullWaitMs'>;
  /** The camera's clock offset from the real one (ms): its wire times and its WS-Security check use it. */
  clockSkewMs?: number;
  /** false: a fixed camera with no PTZ service (ContinuousMove and Stop are refused). */
  ptz?: boolean;
}

/** What each injected event looks like on the wire (topics as common Chinese cameras send them). */
const TOPICS: Record<SimEventKind, { topic: string; item: string }> = {
  motion: { topic: 'tns1:RuleEngine/CellMotionDetector/Motion', item: 'IsMotion' },
  tamper: { topic: 'tns1:RuleEngine/TamperDetector/Tamper', item: 'IsTamper' },
  thrown: { topic: 'tns1:RuleEngine/ThrownObjectDetector/ThrownObject', item: 'IsThrown' },
};

/**
 * An ONVIF Profile S camera over its real wire protocols: SOAP over HTTP with
 * WS-UsernameToken, PullPoint events, PTZ (ContinuousMove, Stop), a Digest-protected JPEG snapshot URI and
 * a WS-Discovery responder. The video itself comes from a real RTSP server.
 */
export class OnvifSimulator {
  private http: Server | null = null;
  private udp: Socket | null = null;
  /** The event service; tests read its calls (pulls, renewals, subscriptions). */
  readonly pullPoint: PullPointService;
  /** The PTZ service; tests read its calls (ContinuousMove velocities, Stop). */
  readonly ptz = new PtzService();
  private readonly nonces = new Set<string>();
  private snapshotJpeg: { second: number; jpeg: Promise<Buffer> } | null = null;
  readonly urn = `urn:uuid:${randomUUID()}`;
  port = 0;
  discoveryPort: number | null = null;
  /** Requests refused for bad credentials (tests check the gateway's are refused, not ignored). */
  refusals = 0;

  constructor(private readonly opts: OnvifSimOptions) {
    this.pullPoint = new PullPointService(
      { ...opts.pullPoint, ...(opts.maxPullWaitMs !== undefined ? { maxPullWaitMs: opts.maxPullWaitMs } : {}) },
      () => this.base,
      opts.clockSkewMs ?? 0,
    );
  }

  get base(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  get deviceUrl(): string {
    return `${this.base}/onvif/device_service`;
  }

  async start(): Promise<void> {
    const host = this.opts.host ?? '127.0.0.1';
    this.http = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.opts.port ?? 0, host, () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    if (this.opts.discoveryPort !== null && this.opts.discoveryPort !== undefined) await this.startDiscovery(host);
  }

  async stop(): Promise<void> {
    this.pullPoint.close();
    this.udp?.close();
    this.udp = null;
    const http = this.http;
    this.http = null;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  }

  /** Raises an event on the camera; every live PullPoint subscription receives it. */
  inject(kind: SimEventKind, active = true, extra: Record<string, string> = {}): void {
    const t = TOPICS[kind];
    this.pullPoint.inject({ topic: t.topic, at: new Date(), data: { [t.item]: String(active), ...extra } });
  }

  subscriptions(): number {
    return this.pullPoint.size();
  }

  private async startDiscovery(host: string): Promise<void> {
    const port = this.opts.discoveryPort!;
    const udp = createSocket({ type: 'udp4', reuseAddr: true });
    this.udp = udp;
    udp.on('message', (msg, rinfo) => {
      const text = msg.toString('utf8');
      if (!/<(?:\w+:)?Probe\b/.test(text)) return;
      const types = /<(?:\w+:)?Types[^>]*>([^<]*)</.exec(text)?.[1] ?? '';
      if (types && !/NetworkVideoTransmitter|Device/.test(types)) return;
      const relates = /<(?:\w+:)?MessageID[^>]*>([^<]*)</.exec(text)?.[1] ?? '';
      const reply = Buffer.from(soap.probeMatch(relates, this.urn, this.deviceUrl, this.opts.name));
      udp.send(reply, rinfo.port, rinfo.address);
    });
    udp.on('error', () => {}); // a discovery socket problem must not take the camera down
    await new Promise<void>((resolve) => udp.bind(port, port === 3702 ? undefined : host, () => resolve()));
    if (port === 3702) {
      try {
        udp.addMembership('239.255.255.250');
      } catch {
        // No multicast on this interface (e.g. loopback only): the simulator still answers unicast probes.
      }
    }
    this.discoveryPort = udp.address().port;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method === 'GET' && req.url === '/onvif/snapshot.jpg') return await this.onSnapshot(req, res);
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > 256 * 1024) return void res.writeHead(413).end();
        chunks.push(c as Buffer);
      }
      const xml = Buffer.concat(chunks).toString('utf8');
      const action = /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(xml)?.[1];
      if (!action) return this.send(res, 400, soap.fault('ter:InvalidArgVal', 'no SOAP body'));
      if (action !== 'GetSystemDateAndTime') {
        const check = verifyUsernameToken(
          xml,
          this.opts.username,
          this.opts.password,
          Date.now() + (this.opts.clockSkewMs ?? 0),
        );
        if (!check.ok) {
          this.refusals++;
          return this.send(res, 400, soap.fault('ter:NotAuthorized', `Sender not authorized: ${check.reason}`));
        }
      }
      await this.dispatch(action, req.url ?? '', xml, res);
    } catch (err) {
      if (!res.headersSent) this.send(res, 500, soap.fault('ter:Action', `simulator error: ${String(err)}`));
    }
  }

  private async dispatch(action: string, url: string, xml: string, res: ServerResponse): Promise<void> {
    const now = new Date(Date.now() + (this.opts.clockSkewMs ?? 0));
    const w = 640;
    const h = 360;
    const broken = this.opts.fault === 'malformed';
    const events = this.opts.events !== false;
    if (events && PULLPOINT_ACTIONS.has(action))
      return this.pullPoint.handle(action, url, xml, (status, body) => this.send(res, status, body), res);
    const ptz = this.opts.ptz !== false;
    if (ptz && PTZ_ACTIONS.has(action)) {
      const r = this.ptz.handle(action, xml);
      return this.send(res, r.status, r.body);
    }
    switch (action) {
      case 'GetSystemDateAndTime':
        return this.send(res, 200, soap.systemDateAndTime(now));
      case 'GetServices':
        return this.send(res, 200, soap.services(this.base, events, ptz));
      case 'GetCapabilities':
        return this.send(res, 200, soap.capabilities(this.base, events, ptz));
      case 'GetDeviceInformation':
        return this.send(
          res,
          200,
          soap.deviceInformation({
            manufacturer: 'Linli',
            model: 'SIM-IPC',
            firmware: '1.0.0',
            serial: this.opts.name,
          }),
        );
      case 'GetVideoSources':
        return this.send(res, 200, broken ? '<html><body>502 Bad Gateway' : soap.videoSources(w, h));
      case 'GetProfiles':
        return this.send(
          res,
          200,
          broken || this.opts.fault === 'no-profiles'
            ? soap.envelope('<trt:GetProfilesResponse/>')
            : soap.profiles(w, h),
        );
      case 'GetStreamUri':
        return this.send(res, 200, soap.streamUri(this.opts.rtspUrl));
      case 'GetSnapshotUri':
        return this.opts.snapshot
          ? this.send(res, 200, soap.snapshotUri(`${this.base}/onvif/snapshot.jpg`))
          : this.send(res, 400, soap.fault('ter:ActionNotSupported', 'no snapshot URI on this camera'));
      default:
        return this.send(res, 400, soap.fault('ter:ActionNotSupported', `${action} is not supported`));
    }
  }

  private async onSnapshot(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.opts.snapshot) return void res.writeHead(404).end();
    const realm = 'linli-sim';
    const auth = req.headers.authorization ?? '';
    if (!this.digestOk(auth, realm)) {
      const nonce = randomBytes(12).toString('hex');
      this.nonces.add(nonce);
      if (this.nonces.size > 1000) this.nonces.delete(this.nonces.values().next().value!);
      // A client offering Basic first is negotiating, not failing: only a wrong Digest counts.
      if (auth.startsWith('Digest ')) this.refusals++;
      res.writeHead(401, {
        'www-authenticate': `Digest realm="${realm}", qop="auth", nonce="${nonce}", algorithm=MD5`,
      });
      return void res.end();
    }
    // One picture per second at most: a burst of alarms must not make the simulator render each time.
    const second = Math.floor(Date.now() / 1000);
    if (this.snapshotJpeg?.second !== second)
      this.snapshotJpeg = { second, jpeg: sceneJpeg(this.opts.name, new Date(second * 1000)) };
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(await this.snapshotJpeg.jpeg);
  }

  /** RFC 7616 Digest (MD5, qop=auth), as the snapshot URIs of common cameras use. */
  private digestOk(header: string, realm: string): boolean {
    if (!header.startsWith('Digest ')) return false;
    const p = Object.fromEntries(
      [...header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1]!, m[2] ?? m[3] ?? '']),
    );
    if (!p.nonce || !this.nonces.has(p.nonce) || p.username !== this.opts.username || p.realm !== realm) return false;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${this.opts.username}:${realm}:${this.opts.password}`);
    const ha2 = md5(`GET:${p.uri}`);
    const expected = md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
    return expected === p.response;
  }

  private send(res: ServerResponse, status: number, body: string): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(body);
  }
}
