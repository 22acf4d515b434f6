import { Agent } from 'node:http';
import { LinliError } from '@linli/contract';
import { Cam } from 'onvif';
import { atStep } from './camera-error.js';

export interface OnvifEndpoint {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Per-request timeout. */
  timeoutMs: number;
}

export interface CameraInfo {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  profileToken: string;
  streamUri: string;
  snapshotUri: string | null;
}

/** One raw SOAP exchange: the body element, and for a subscription manager the address it lives at. */
export interface SoapRequest {
  /** The WS-Addressing action (also sent as the HTTP content-type action). */
  action: string;
  /** The element inside <s:Body>. */
  body: string;
  /** A subscription manager's address (as the camera gave it); omitted = the camera's event service. */
  to?: string;
  /** Axis-style subscription id, sent back as a reference parameter. */
  subscriptionId?: string;
  /** How long to wait for the answer (a long-poll needs more than the usual request timeout). */
  replyTimeoutMs?: number;
}

type Callback = (err: Error | null, data?: unknown) => void;
type CamMethods = Record<string, (...args: unknown[]) => void>;
/** The parts of the library's Cam that raw SOAP calls use; kept in one place so an upgrade shows what moved. */
interface CamInternals {
  uri?: Record<string, unknown>;
  activeSource?: { profileToken?: string };
  _envelopeHeader(openHeader: boolean): string;
  _envelopeFooter(): string;
  _parseUrl(address: string): Record<string, unknown> & { href: string };
  _request(o: Record<string, unknown>, cb: (err: Error | null, body: unknown) => void): void;
}

/** Transport errors: the camera (or the network to it) gave no answer. */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up/;

/**
 * The `onvif` library's Cam behind promises, with its own HTTP agent so that
 * close() cuts every request in flight (a pending PullMessages included).
 * Authentication is WS-UsernameToken (PasswordDigest), done by the library.
 */
export class OnvifClient {
  private readonly agent = new Agent({ keepAlive: false });
  private readonly cam: Cam;
  private closed = false;
  /** The library reports a failed GetProfiles only as a warning; kept to tell a refused login from a camera without profiles. */
  private lastWarning = '';

  constructor(private readonly ep: OnvifEndpoint) {
    this.cam = new Cam({
      hostname: ep.host,
      port: ep.port,
      username: ep.username,
      password: ep.password,
      timeout: ep.timeoutMs,
      autoconnect: false,
      agent: this.agent,
      // Services are reached at the address we were configured with, even if the camera reports a NAT'd one.
      preserveAddress: true,
    } as ConstructorParameters<typeof Cam>[0]);
    this.cam.on('warning', (w: unknown) => void (this.lastWarning = String(w)));
  }

  /** Calls one Cam method; rejects with a LinliError that names the call (never the credentials). */
  call<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.settle<T>(method, this.ep.timeoutMs * (method === 'connect' ? 4 : 1) + 1000, (done) =>
      (this.cam as unknown as CamMethods)[method]!.call(this.cam, ...args, done),
    );
  }

  /** Sends one SOAP request the library has no method for (or sends with fixed values), authenticated the same way. */
  soap<T>(req: SoapRequest): Promise<T> {
    const cam = this.cam as unknown as CamInternals;
    const name = /<(?:\w+:)?(\w+)/.exec(req.body)?.[1] ?? 'request';
    const reply = req.replyTimeoutMs ?? this.ep.timeoutMs;
    return this.settle<T>(name, reply + 1000, (done) => {
      let header = cam._envelopeHeader(true) + `<a:Action s:mustUnderstand="1">${req.action}</a:Action>`;
      let url: Record<string, unknown> | undefined;
      if (req.to) {
        const parsed = cam._parseUrl(req.to);
        url = { ...parsed, agent: this.agent };
        header += `<a:To s:mustUnderstand="1">${parsed.href}</a:To>`;
        if (req.subscriptionId)
          header += `<SubscriptionId xmlns="http://www.axis.com/2009/event" a:IsReferenceParameter="true">${req.subscriptionId}</SubscriptionId>`;
      }
      const body =
        `${header}</s:Header><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
        `xmlns:xsd="http://www.w3.org/2001/XMLSchema">${req.body}${cam._envelopeFooter()}`;
      cam._request(
        { body, action: req.action, replyTimeout: reply, ...(url ? { url } : { service: 'events' }) },
        (err, data) => done(err, data),
      );
    });
  }

  /** True when the camera lists an event service (GetServices / GetCapabilities). */
  hasEventService(): boolean {
    return Boolean((this.cam as unknown as CamInternals).uri?.events);
  }

  /**
   * Connects (time, services, profiles) and reads identity and media URIs.
   * A failure is a CameraStepError naming the step: the ONVIF service, the
   * login, the media profiles or the stream URI.
   */
  async connect(): Promise<CameraInfo> {
    try {
      await this.call('connect');
    } catch (err) {
      throw atStep((err as LinliError).code === 'AUTH' ? 'login' : 'onvif', err);
    }
    const profileToken = (this.cam as unknown as CamInternals).activeSource?.profileToken;
    if (!profileToken) {
      // Some cameras answer GetServices without credentials and refuse only GetProfiles.
      if (isAuth(this.lastWarning))
        throw atStep('login', new LinliError('AUTH', 'ONVIF GetProfiles: credentials refused'));
      throw atStep(
        'profiles',
        new LinliError(
          'ONVIF',
          'camera reported no usable media profile (GetProfiles/GetVideoSources failed or were malformed)',
        ),
      );
    }
    const info = await this.call<Record<string, unknown>>('getDeviceInformation').catch((err: unknown) => {
      throw atStep((err as LinliError).code === 'AUTH' ? 'login' : 'onvif', err);
    });
    const stream = await this.call<{ uri?: unknown }>('getStreamUri', { protocol: 'RTSP', profileToken }).catch(
      (err: unknown) => {
        throw atStep('stream-uri', err);
      },
    );
    if (typeof stream?.uri !== 'string' || !/^rtsps?:\/\//.test(stream.uri))
      throw atStep('stream-uri', new LinliError('ONVIF', 'camera returned no RTSP stream URI'));
    let snapshotUri: string | null = null;
    try {
      const snap = await this.call<{ uri?: unknown }>('getSnapshotUri', { profileToken });
      if (typeof snap?.uri === 'string' && /^https?:\/\//.test(snap.uri)) snapshotUri = snap.uri;
    } catch {
      // Many cameras have no snapshot URI: snapshots then come from the RTSP stream.
    }
    return {
      manufacturer: String(info?.manufacturer ?? ''),
      model: String(info?.model ?? ''),
      firmware: String(info?.firmwareVersion ?? ''),
      serial: String(info?.serialNumber ?? ''),
      profileToken,
      streamUri: stream.uri,
      snapshotUri,
    };
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  /** One callback-style call as a promise that always settles: the library may drop a callback on a malformed reply. */
  private settle<T>(name: string, deadlineMs: number, start: (done: Callback) => void): Promise<T> {
    if (this.closed) return Promise.reject(new LinliError('CLOSED', 'camera connection closed'));
    return new Promise<T>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new LinliError('TIMEOUT', `ONVIF ${name}: no answer within ${deadlineMs} ms`)),
        deadlineMs,
      );
      const done: Callback = (err, data) => {
        clearTimeout(deadline);
        if (err) reject(this.closed ? new LinliError('CLOSED', 'camera connection closed') : toError(name, err));
        else resolve(data as T);
      };
      try {
        start(done);
      } catch (err) {
        clearTimeout(deadline);
        reject(toError(name, err as Error));
      }
    });
  }
}

const isAuth = (msg: string) => /not ?authori[sz]ed|authentication failed|401/i.test(msg);

/** AUTH (credentials refused), UNREACHABLE / TIMEOUT (no answer), or ONVIF (the camera answered with a refusal). */
function toError(method: string, err: Error): LinliError {
  const msg = err?.message ?? String(err);
  const errno = (err as NodeJS.ErrnoException)?.code ?? '';
  if (isAuth(msg)) return new LinliError('AUTH', `ONVIF ${method}: credentials refused`, { cause: err });
  if (/^Network timeout/.test(msg)) return new LinliError('TIMEOUT', `ONVIF ${method}: no answer`, { cause: err });
  if (UNREACHABLE.test(errno) || UNREACHABLE.test(msg))
    return new LinliError('UNREACHABLE', `ONVIF ${method}: ${errno || msg}`, { cause: err });
  return new LinliError('ONVIF', `ONVIF ${method}: ${msg}`, { cause: err });
}
