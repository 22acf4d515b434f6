import { readFileSync, statSync } from 'node:fs';
import { type EventDraft, LinliError } from '@linli/contract';
import type { Gb28181Definition, PointValues } from '../../definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from '../../device-types.js';
import type { Gb28181Transport } from '../../transport.js';
import type { Manscdp } from '../manscdp.js';
import { type AlarmNotify, type CatalogItem, readAlarm } from '../manscdp-messages.js';
import type { EndpointTimers } from '../sip-endpoint.js';
import type { CameraSnapshot } from '../../camera/snapshot.js';
import { eventForAlarm } from './alarm-kinds.js';
import { gbSnapshot } from './gb-snapshot.js';
import { inviteLive } from '../live/invite-live.js';
import type { RelayLeg } from '../live/live-relay.js';
import type { GbDeviceServer, OfflineReason } from './device-server.js';
import { acquireServer } from './device-servers.js';

const OFFLINE_WORDS: Record<OfflineReason, string> = {
  keepalive: '心跳超时 — keepalives stopped',
  expired: '注册过期 — registration expired without a refresh',
  unregistered: '设备已注销 — the device unregistered (Expires: 0)',
};

/**
 * A GB/T 28181 camera or NVR registered to the gateway's SIP listener: online
 * while its registration holds and its keepalives arrive (offline after
 * keepaliveS × keepaliveMisses of silence, at expiry, or when it unregisters),
 * its Alarm notifications become events (alarm-kinds.ts), and after each
 * registration its Catalog is asked for so an NVR's channels show on the
 * gateway's device page.
 */
export class GbDevice implements DeviceHandle {
  readonly id: string;
  private readonly t: Gb28181Transport;
  private isOnline: boolean | null = null;
  private server: GbDeviceServer | null = null;
  private release: (() => Promise<void>) | null = null;
  private detach: (() => void) | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private problem: string | null = null;
  private offlineReason: string | null = null;
  private list: CatalogItem[] | null = null;
  private firstWait: NodeJS.Timeout | null = null;
  private readonly alarmListeners = new Set<(a: AlarmNotify) => void>();
  private readonly catalogListeners = new Set<(list: readonly CatalogItem[]) => void>();
  /** Keepalives received since start (status and tests). */
  keepalives = 0;

  constructor(
    _def: Gb28181Definition,
    private readonly cfg: DeviceConfig,
    private readonly ctx: DeviceContext,
    /** SIP timers (tests shorten them); the RFC defaults otherwise. */
    private readonly timers?: EndpointTimers,
  ) {
    if (cfg.transport.kind !== 'gb28181')
      throw new LinliError('CONFIG', `device ${cfg.id}: a GB/T 28181 device needs a gb28181 transport`);
    if (!cfg.transport.passwordFile === !cfg.transport.password)
      throw new LinliError('CONFIG', `device ${cfg.id}: give exactly one of passwordFile and password`);
    this.id = cfg.id;
    this.t = cfg.transport;
  }

  start(): void {
    if (this.starting) return;
    this.starting = this.open().catch((err: Error) => {
      this.problem = err.message;
      this.ctx.log.warn('GB/T 28181 listener not available', { err: err.message });
      void this.setOnline(false, err.message);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.firstWait) clearTimeout(this.firstWait);
    await this.starting;
    this.detach?.();
    this.detach = null;
    await this.release?.();
    this.release = null;
  }

  online(): boolean | null {
    return this.isOnline;
  }

  latest(): PointValues | null {
    if (this.isOnline === null) return null;
    return { registered: this.isOnline ? 1 : 0, channels: this.list?.length ?? 0 };
  }

  /** Why the SIP listener could not be opened (port taken, password file unreadable), or null. */
  listenError(): string | null {
    return this.problem;
  }

  /** The NVR's channels from its last Catalog answer (null before one arrived). */
  channels(): readonly CatalogItem[] | null {
    return this.list;
  }

  /**
   * A snapshot through live video (INVITE, one frame, BYE) of the first channel on line, or of the device
   * itself when it listed none; masks as for ONVIF cameras. The gateway's media path calls it for events.
   */
  async snapshot(): Promise<CameraSnapshot> {
    if (!this.server || this.isOnline !== true)
      throw new LinliError('OFFLINE', `GB/T 28181 device ${this.id} is not registered`);
    const channelId = this.list?.find((c) => c.status === 'ON')?.deviceId ?? this.t.deviceId;
    return gbSnapshot(this.server, {
      cameraId: this.id,
      deviceId: this.t.deviceId,
      channelId,
      timeoutMs: Math.max(this.cfg.timeoutMs, 5000),
      masks: this.cfg.options?.masks ?? [],
    });
  }

  /** The device's own 20-digit code (its SIP user). */
  gbDeviceId(): string {
    return this.t.deviceId;
  }

  /** Each Alarm the device sends, as it sent it (the gateway forwards them to its upper platform); returns the unsubscribe. */
  onAlarm(fn: (a: AlarmNotify) => void): () => void {
    this.alarmListeners.add(fn);
    return () => this.alarmListeners.delete(fn);
  }

  /** Each Catalog the device answers (after each registration); returns the unsubscribe. */
  onCatalog(fn: (list: readonly CatalogItem[]) => void): () => void {
    this.catalogListeners.add(fn);
    return () => this.catalogListeners.delete(fn);
  }

  /** Live video of one channel over UDP (INVITE now, BYE through the leg): the downward leg of a relay. */
  async liveLeg(channelId: string): Promise<RelayLeg> {
    if (!this.server || this.isOnline !== true)
      throw new LinliError('OFFLINE', `GB/T 28181 device ${this.id} is not registered`);
    const { status, receiver } = await inviteLive(this.server, this.t.deviceId, channelId, 'UDP');
    if (!receiver) throw new LinliError('STREAM', `摄像机拒绝点播 — ${channelId} refused the INVITE (${status})`);
    return receiver;
  }

  /** Forwards a DeviceControl body (PTZ from the upper platform) to the device; true when it answered 2xx. */
  async control(xml: string): Promise<boolean> {
    if (!this.server || this.isOnline !== true)
      throw new LinliError('OFFLINE', `GB/T 28181 device ${this.id} is not registered`);
    const status = await this.server.message(this.t.deviceId, xml);
    return status >= 200 && status < 300;
  }

  async command(name: string, _args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    if (name !== 'camera.snapshot') throw new LinliError('UNSUPPORTED', `device ${this.id} does not take ${name}`);
    const snap = await this.snapshot();
    const ref = this.ctx.snapshots ? await this.ctx.snapshots.save(snap) : null;
    return { ref, takenAt: snap.takenAt, width: snap.width, height: snap.height, source: snap.source };
  }

  /** The listener's problem, or the channels in words: what the device page shows beside online/offline. */
  note(): string | null {
    if (this.problem) return this.problem;
    if (this.isOnline === false && this.offlineReason) return `离线：${this.offlineReason}`;
    if (!this.list?.length) return null;
    const on = this.list.filter((c) => c.status === 'ON').length;
    const names = this.list.map((c) => `${c.name || c.deviceId}${c.status === 'ON' ? '' : '（离线）'}`).join('、');
    return `通道 ${this.list.length} 个，在线 ${on}：${names}`.slice(0, 300);
  }

  private async open(): Promise<void> {
    const password = this.password();
    const spec = {
      id: this.t.server.id,
      domain: this.t.server.domain ?? this.t.server.id.slice(0, 10),
      host: this.t.server.host ?? '0.0.0.0',
      port: this.t.server.port ?? 5060,
      ...(this.timers ? { timers: this.timers } : {}),
    };
    const { server, release } = await acquireServer(spec);
    if (this.stopped) return release();
    this.server = server;
    this.release = release;
    const silenceMs = (this.t.keepaliveS ?? 60) * 1000 * (this.t.keepaliveMisses ?? 3);
    this.detach = server.attach(this.t.deviceId, {
      password: () => password,
      keepaliveTimeoutMs: silenceMs,
      onRegistered: () => void this.registered(),
      onOffline: (why) => void this.setOnline(false, OFFLINE_WORDS[why]),
      onRefused: (why) => this.ctx.log.warn('GB/T 28181 registration refused', { why }),
      onMessage: (m) => void this.message(m),
    });
    // A camera that never registers is reported offline after the same silence that ends a registered one.
    this.firstWait = setTimeout(() => {
      if (this.isOnline === null) void this.setOnline(false, '设备未注册 — the device has not registered');
    }, silenceMs);
  }

  private password(): string {
    if (this.t.password) return this.t.password;
    const file = this.t.passwordFile!;
    try {
      if ((statSync(file).mode & 0o077) !== 0)
        throw new LinliError('CONFIG', `${file} is readable by other users; chmod 600 it (GB/T 28181 password)`);
      const pw = readFileSync(file, 'utf8').trim();
      if (!pw) throw new LinliError('CONFIG', `${file} is empty; write the cameras' registration password into it`);
      return pw;
    } catch (err) {
      if (err instanceof LinliError) throw err;
      throw new LinliError('CONFIG', `cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
    }
  }

  private async registered(): Promise<void> {
    const wasOnline = this.isOnline === true;
    await this.setOnline(true, '');
    if (wasOnline || this.t.catalog === false || !this.server) return;
    try {
      this.list = await this.server.catalog(this.t.deviceId, 10_000);
      this.ctx.log.info('GB/T 28181 catalog', { channels: this.list.length });
      for (const fn of this.catalogListeners) fn(this.list);
    } catch (err) {
      this.ctx.log.warn('GB/T 28181 catalog query failed', { err: (err as Error).message });
    }
  }

  private async message(m: Manscdp): Promise<void> {
    if (m.cmdType === 'Keepalive') this.keepalives++;
    const alarm = readAlarm(m);
    if (!alarm) return;
    for (const fn of this.alarmListeners) fn(alarm);
    const channel = this.list?.find((c) => c.deviceId === alarm.deviceId)?.name || alarm.deviceId;
    await this.emit(eventForAlarm(alarm, this.id, channel));
  }

  private async setOnline(up: boolean, reason: string): Promise<void> {
    if (this.isOnline === up || (this.stopped && up)) return;
    this.isOnline = up;
    const deviceTime = Date.now();
    if (up) {
      this.problem = null;
      this.ctx.log.info('GB/T 28181 device registered');
      await this.emit({ kind: 'device.online', deviceId: this.id, deviceTime, payload: {} });
    } else {
      this.offlineReason = reason;
      this.ctx.log.warn('GB/T 28181 device offline', { reason });
      await this.emit({
        kind: 'device.offline',
        deviceId: this.id,
        deviceTime,
        payload: { reason: reason.slice(0, 200) },
      });
    }
  }

  /** A refused event (buffer full) is the outbox's to report; it must not break the registration. */
  private async emit(draft: EventDraft): Promise<void> {
    try {
      await this.ctx.emit(draft);
    } catch (err) {
      this.ctx.log.warn('event not buffered', { kind: draft.kind, err: String(err) });
    }
  }
}
