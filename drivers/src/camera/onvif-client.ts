import { Agent } from 'node:http';
import { LinliError } from '@linli/contract';
import { Cam } from 'onvif';

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

/** The library asks for PT1M pulls and waits 80 s for the answer. */
const PULL_DEADLINE_MS = 90_000;

type Callback = (err: Error | null, data?: unknown) => void;
type CamMethods = Record<string, (...args: unknown[]) => void>;

/**
 * The `onvif` library's Cam behind promises, with its own HTTP agent so that
 * close() cuts every request in flight (a pending PullMessages included).
 * Authentication is WS-UsernameToken (PasswordDigest), done by the library.
 */
export class OnvifClient {
  private readonly agent = new Agent({ keepAlive: false });
  private readonly cam: Cam;
  private closed = false;

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
    // The library emits 'warning' for partial media support; without a listener nothing breaks, but be explicit.
    this.cam.on('warning', () => {});
  }

  /** Calls one Cam method; rejects with a LinliError that names the call (never the credentials). */
  call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new LinliError('CLOSED', 'camera connection closed'));
    return new Promise<T>((resolve, reject) => {
      // The library may drop a callback on a malformed reply; a deadline keeps every promise settling.
      const deadline = setTimeout(
        () => reject(new LinliError('TIMEOUT', `ONVIF ${method}: no answer within ${this.ep.timeoutMs} ms`)),
        method === 'pullMessages' ? PULL_DEADLINE_MS : this.ep.timeoutMs * (method === 'connect' ? 4 : 1) + 1000,
      );
      const done: Callback = (err, data) => {
        clearTimeout(deadline);
        if (err) reject(toError(method, err));
        else resolve(data as T);
      };
      try {
        (this.cam as unknown as CamMethods)[method]!.call(this.cam, ...args, done);
      } catch (err) {
        clearTimeout(deadline);
        reject(toError(method, err as Error));
      }
    });
  }

  /** Connects (time, services, profiles) and reads identity and media URIs. */
  async connect(): Promise<CameraInfo> {
    await this.call('connect');
    const cam = this.cam as unknown as { activeSource?: { profileToken?: string }; profiles?: unknown[] };
    const profileToken = cam.activeSource?.profileToken;
    if (!profileToken)
      throw new LinliError(
        'ONVIF',
        'camera reported no usable media profile (GetProfiles/GetVideoSources failed or were malformed)',
      );
    const info = await this.call<Record<string, unknown>>('getDeviceInformation');
    const stream = await this.call<{ uri?: unknown }>('getStreamUri', { protocol: 'RTSP', profileToken });
    if (typeof stream?.uri !== 'string' || !/^rtsps?:\/\//.test(stream.uri))
      throw new LinliError('ONVIF', 'camera returned no RTSP stream URI');
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
}

function toError(method: string, err: Error): LinliError {
  const msg = err?.message ?? String(err);
  const auth = /not ?authori[sz]ed|authentication failed|401/i.test(msg);
  return new LinliError(auth ? 'AUTH' : 'ONVIF', `ONVIF ${method}: ${auth ? 'credentials refused' : msg}`, {
    cause: err,
  });
}
