import { readFile } from 'node:fs/promises';
import { type EventDraft, LinliError } from '@linli/contract';
import type { OnvifDefinition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from '../device-types.js';
import type { OnvifTransport } from '../transport.js';
import { atStep } from './camera-error.js';
import { type CameraInfo, OnvifClient } from './onvif-client.js';
import { mapNotification } from './onvif-topics.js';
import { PullPointPump } from './pull-point-pump.js';
import { DEFAULT_PULL_WAIT_MS } from './pull-schedule.js';
import { withCredentials } from './redact.js';
import { type CameraSnapshot, probeStream, takeSnapshot } from './snapshot.js';

const RECONNECT_MIN_MS = 2000;
const RECONNECT_MAX_MS = 60_000;
const DEFAULT_HEALTH_MS = 60_000;
const DEFAULT_COOLDOWN_MS = 5000;
/** MessageLimit per PullMessages: a burst drains in a few pulls even at one pull per second. */
const MESSAGE_LIMIT = 50;
/** Shown in the device's status when the camera has no PullPoint events. */
export const NO_EVENTS_NOTE =
  '摄像机不支持 ONVIF 事件订阅（PullPoint），仅提供抓图 no ONVIF PullPoint events: snapshots only';

/**
 * An ONVIF camera. Connects with WS-UsernameToken, reads its media URIs,
 * pulls its events (PullPoint) into camera.* events, checks its stream by
 * pulling a frame now and then, and takes masked snapshots on command.
 * Credentials stay in this object: never in logs, events or errors.
 */
export class OnvifCamera implements DeviceHandle {
  readonly id: string;
  private client: OnvifClient | null = null;
  private info: CameraInfo | null = null;
  private password = '';
  private isOnline: boolean | null = null;
  private lastFrameAt = 0;
  /** The fallback to HTTP health checks is said once, not every interval. */
  private saidNoFfmpeg = false;
  private stopped = false;
  private generation = 0;
  private readonly lastSignal = new Map<string, number>();
  private readonly wakers = new Set<() => void>();
  /** Frame pulls and snapshots in flight: stop() waits for them, so no ffmpeg outlives the device. */
  private readonly pending = new Set<Promise<unknown>>();
  private loop: Promise<void> | null = null;
  /** The current session's event pull (null before the first connection). */
  private pump: PullPointPump | null = null;
  private eventsUnsupported = false;

  constructor(
    private readonly def: OnvifDefinition,
    private readonly cfg: DeviceConfig & { transport: OnvifTransport },
    private readonly ctx: DeviceContext,
  ) {
    this.id = cfg.id;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    this.wakeAll();
    this.client?.close();
    this.client = null;
    await this.loop;
    await Promise.allSettled([...this.pending]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.then(
      () => this.pending.delete(p),
      () => this.pending.delete(p),
    );
    return p;
  }

  online(): boolean | null {
    return this.isOnline;
  }

  latest(): PointValues | null {
    if (this.isOnline === null) return null;
    return { streamAlive: this.isOnline ? 1 : 0, lastFrameAt: this.lastFrameAt };
  }

  /** What the operator should know beyond online/offline: a camera without events says so here. */
  note(): string | null {
    return this.eventsUnsupported ? NO_EVENTS_NOTE : null;
  }

  /** Counters of the current session's event pull (pulls, renewals, resubscriptions), for status and tests. */
  eventStats(): Readonly<PullPointPump['stats']> | null {
    return this.pump?.stats ?? null;
  }

  /** Identity and URIs read from the camera (null until connected). */
  camera(): Readonly<CameraInfo> | null {
    return this.info;
  }

  /** The RTSP URL with credentials for a live view (GB/T 28181 INVITE), or null before the camera has answered. */
  liveUrl(): string | null {
    const uri = this.cfg.transport.rtspUrl ?? this.info?.streamUri;
    return uri ? withCredentials(uri, this.cfg.transport.username, this.password) : null;
  }

  /**
   * Pan, tilt and zoom at these velocities ([-1, 1], ONVIF ContinuousMove) until the next call; all zero stops
   * (PTZ Stop). Rejects with a LinliError when the camera is not connected or refuses (it may have no PTZ).
   */
  async ptz(v: { pan: number; tilt: number; zoom: number }): Promise<void> {
    const info = this.info;
    if (!info || !this.client) throw new LinliError('OFFLINE', `camera ${this.id} is not connected`);
    const { profileToken } = info;
    if (v.pan === 0 && v.tilt === 0 && v.zoom === 0)
      await this.client.call('stop', { profileToken, panTilt: true, zoom: true });
    else await this.client.call('continuousMove', { profileToken, x: v.pan, y: v.tilt, zoom: v.zoom });
  }

  /** A masked snapshot now; rejects with a clear LinliError when the camera cannot give one. */
  async snapshot(): Promise<CameraSnapshot> {
    const info = this.info;
    if (!info) throw new LinliError('OFFLINE', `camera ${this.id} is not connected`);
    const snap = await this.track(
      takeSnapshot({
        cameraId: this.id,
        streamUri: this.cfg.transport.rtspUrl ?? info.streamUri,
        snapshotUri: info.snapshotUri,
        username: this.cfg.transport.username,
        password: this.password,
        masks: this.cfg.options?.masks ?? [],
        timeoutMs: this.cfg.timeoutMs,
      }),
    );
    this.lastFrameAt = snap.takenAt;
    return snap;
  }

  async command(name: string, _args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    if (name !== 'camera.snapshot') throw new LinliError('UNSUPPORTED', `camera ${this.id} does not take ${name}`);
    const snap = await this.snapshot();
    const ref = this.ctx.snapshots ? await this.ctx.snapshots.save(snap) : null;
    return {
      ref,
      takenAt: snap.takenAt,
      width: snap.width,
      height: snap.height,
      source: snap.source,
      jpegBytes: snap.jpeg.length,
      webpBytes: snap.webp.length,
    };
  }

  /** Connect, then watch events and stream health; on any failure, go offline and reconnect with backoff. */
  private async run(): Promise<void> {
    let delay = RECONNECT_MIN_MS;
    while (!this.stopped) {
      const gen = ++this.generation;
      try {
        await this.connect();
        await this.checkStream();
        await this.setOnline(true, '');
        delay = RECONNECT_MIN_MS;
        const watch = this.watchStream(gen);
        // A pull that ends on its own (no PullPoint on this camera) leaves the stream watch running.
        const pull = this.pullEvents(gen).then(() => watch);
        // Whichever fails first ends the session; the other is cut short below and its end ignored.
        pull.catch(() => {});
        watch.catch(() => {});
        await Promise.race([pull, watch]);
      } catch (err) {
        if (!this.stopped) await this.setOnline(false, (err as Error).message);
      }
      this.generation++;
      this.wakeAll();
      this.client?.close();
      this.client = null;
      if (this.stopped) return;
      await this.sleep(delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    }
  }

  private async connect(): Promise<void> {
    const t = this.cfg.transport;
    this.password = t.passwordFile ? await readPassword(t.passwordFile) : (t.password ?? '');
    if (!this.password)
      throw new LinliError(
        'CONFIG',
        `camera ${this.id}: set transport.passwordFile (or password); cameras have no default`,
      );
    this.client = new OnvifClient({
      host: t.host,
      port: t.port,
      username: t.username,
      password: this.password,
      timeoutMs: this.cfg.timeoutMs,
    });
    this.info = await this.client.connect();
    this.ctx.log.info('camera connected', {
      manufacturer: this.info.manufacturer,
      model: this.info.model,
      snapshotUri: this.info.snapshotUri !== null,
    });
  }

  private async checkStream(): Promise<void> {
    const info = this.info!;
    const check = this.cfg.options?.streamCheck ?? 'rtsp';
    const via = await this.track(
      probeStream(
        {
          streamUri: this.cfg.transport.rtspUrl ?? info.streamUri,
          snapshotUri: info.snapshotUri,
          username: this.cfg.transport.username,
          password: this.password,
          timeoutMs: this.cfg.timeoutMs,
        },
        check,
      ),
    ).catch((err: unknown) => {
      throw atStep('stream', err);
    });
    if (via === 'http' && check === 'rtsp' && !this.saidNoFfmpeg) {
      this.saidNoFfmpeg = true;
      this.ctx.log.warn('ffmpeg missing: checking the camera through its HTTP snapshot URI (apt-get install ffmpeg)');
    }
    this.lastFrameAt = Date.now();
  }

  private async watchStream(gen: number): Promise<void> {
    const every = this.cfg.options?.healthIntervalMs ?? DEFAULT_HEALTH_MS;
    while (gen === this.generation) {
      await this.sleep(every);
      if (gen !== this.generation) return;
      await this.checkStream();
    }
  }

  /** The PullPoint loop (see PullPointPump); a camera without one is said once and runs on snapshots alone. */
  private async pullEvents(gen: number): Promise<void> {
    const pump = new PullPointPump(
      this.client!,
      {
        waitMs: this.cfg.options?.eventPullWaitMs ?? DEFAULT_PULL_WAIT_MS,
        limit: MESSAGE_LIMIT,
        timeoutMs: this.cfg.timeoutMs,
      },
      {
        onMessage: (m) => this.onNotification(m),
        log: this.ctx.log,
        alive: () => gen === this.generation,
        sleep: (ms) => this.sleep(ms),
      },
    );
    this.pump = pump;
    const end = await pump.run();
    if (end === 'unsupported' && !this.eventsUnsupported) {
      this.eventsUnsupported = true;
      this.ctx.log.warn('camera has no ONVIF PullPoint events: snapshots only', { note: NO_EVENTS_NOTE });
    }
  }

  private async onNotification(msg: unknown): Promise<void> {
    const s = mapNotification(msg);
    if (!s || !s.active) return;
    const now = Date.now();
    const cooldown = this.cfg.options?.eventCooldownMs ?? DEFAULT_COOLDOWN_MS;
    if (now - (this.lastSignal.get(s.kind) ?? -Infinity) < cooldown) return;
    this.lastSignal.set(s.kind, now);
    let draft: EventDraft;
    if (s.kind === 'camera.motion')
      draft = { kind: s.kind, deviceId: this.id, deviceTime: now, payload: s.region ? { region: s.region } : {} };
    else if (s.kind === 'camera.tamper') draft = { kind: s.kind, deviceId: this.id, deviceTime: now, payload: {} };
    else
      draft = {
        kind: s.kind,
        deviceId: this.id,
        deviceTime: now,
        payload: s.floorEstimate !== undefined ? { floorEstimate: s.floorEstimate } : {},
      };
    await this.emitSafely(draft);
  }

  /** A refused event (buffer full) is the outbox's to report; it must not end the camera's session. */
  private async emitSafely(draft: EventDraft): Promise<void> {
    try {
      await this.ctx.emit(draft);
    } catch (err) {
      this.ctx.log.warn('event not buffered', { kind: draft.kind, err: String(err) });
    }
  }

  private async setOnline(up: boolean, reason: string): Promise<void> {
    if (this.isOnline === up) return;
    this.isOnline = up;
    const now = Date.now();
    if (up) {
      this.ctx.log.info('camera online');
      await this.emitSafely({ kind: 'device.online', deviceId: this.id, deviceTime: now, payload: {} });
    } else {
      const text = (reason || 'unreachable').slice(0, 200);
      this.ctx.log.warn('camera offline', { reason: text });
      await this.emitSafely({ kind: 'device.offline', deviceId: this.id, deviceTime: now, payload: { reason: text } });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.wakers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const w of [...this.wakers]) w();
  }

  /** The declared type this handle runs. */
  get type(): string {
    return this.def.type;
  }
}

/** The camera password from its file (trimmed); a clear CONFIG error when it cannot be read. */
export async function readPassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new LinliError('CONFIG', `cannot read camera password file ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
}
