import { readFileSync, statSync } from 'node:fs';
import { ConfigError, type LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import type { DeviceEntry, Gb28181Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { alarmFor } from './gb-alarms.js';
import { answerQuery, catalogChangesFor, catalogItems, type GbScene } from './gb-answers.js';
import { type DownwardGb, forwardedAlarm, upChannels } from './gb-channels.js';
import { GbPtz, type OnvifPtz } from './gb-ptz.js';

/** Alarms kept while the platform is unreachable; the oldest are dropped beyond this (the hub still has them all). */
const MAX_PENDING_ALARMS = 200;

export interface GbLinkReport {
  state: gb28181.LinkState;
  platform: string;
  since: number;
  lastError: string | null;
  lastErrorAt: number | null;
  registeredUntil: number | null;
  publicAddress: string | null;
  alarmsSent: number;
  alarmsPending: number;
  liveStreams: number;
  catalogSubscriptions: number;
}

export interface GbLinkDeps {
  configFile: string;
  gatewayName: string;
  devices: readonly DeviceEntry[];
  online: (deviceId: string) => boolean | null;
  /** Subscribes to committed events (the outbox's append); returns the unsubscribe. */
  onCommitted: (fn: (events: LinliEvent[]) => void) => () => void;
  /** A GB/T 28181 camera or NVR registered to the gateway (a `gb28181-camera` device), by config id. */
  downward?: (deviceId: string) => DownwardGb | undefined;
  /** A camera's RTSP URL with credentials for a live view, or null when it has not answered yet. */
  liveUrl?: (deviceId: string) => string | null;
  /** An ONVIF camera's PTZ (ContinuousMove / Stop), or null when the device is not one. */
  onvifPtz?: (deviceId: string) => OnvifPtz | null;
  log: Logger;
  /** Tests shorten SIP timers; the config's t1Ms otherwise. */
  timers?: gb28181.EndpointTimers;
}

/**
 * The gateway as a GB/T 28181 lower platform (下级平台): keeps the
 * registration to the configured upper platform, answers its Catalog,
 * DeviceInfo and DeviceStatus queries with the compound's cameras (ONVIF
 * ones and GB/T 28181 ones registered to the gateway), and sends an Alarm
 * MESSAGE for every forwarded compound alarm as soon as it is committed and
 * for every alarm a downward GB camera raises (queued while the link is
 * down, sent on the next registration). Live view of a downward camera is
 * relayed: the gateway INVITEs the camera and forwards its PS/RTP. PTZ
 * commands drive the channel's camera (gb-ptz.ts).
 */
export class GbLink {
  private agent: gb28181.LowerAgent | null = null;
  private live: gb28181.LiveSessions | null = null;
  private subs: gb28181.CatalogSubscriptions | null = null;
  private readonly unsubscribes: (() => void)[] = [];
  private readonly pending: string[] = [];
  private sent = 0;
  private flushing = false;

  constructor(
    private readonly gb: Gb28181Config,
    private readonly deps: GbLinkDeps,
  ) {}

  start(): void {
    const first = readGbPassword(this.gb.passwordFile, this.deps.configFile);
    let last = first;
    const cameras = this.deps.devices.filter((d) => d.gbId);
    const downward = (id: string) => this.deps.downward?.(id);
    const scene: GbScene = {
      gb: this.gb,
      gatewayName: this.deps.gatewayName,
      channels: () => upChannels(this.deps.devices, this.deps.online, downward),
    };
    const log = this.deps.log;
    const live = new gb28181.LiveSessions({
      deviceId: this.gb.id,
      bindHost: this.gb.bindHost,
      advertise: () => this.agent?.contact()?.host ?? this.gb.bindHost,
      maxStreams: this.gb.maxStreams,
      source: (channel) => {
        const c = scene.channels().find((x) => x.gbId === channel);
        if (!c) return null;
        // A GB/T 28181 camera registered to us: INVITE it and relay its PS/RTP (live-relay.ts).
        const down = c.down;
        if (down)
          return (offer, onEnd) =>
            new gb28181.LiveRelay(offer, () => down.device.liveLeg(down.channelId), onEnd, {
              silenceMs: this.gb.relaySilenceS * 1000,
              // A camera may take a few seconds for its first key frame: three times the silence before the first packet.
              startGraceMs: this.gb.relaySilenceS * 3000,
            });
        return this.deps.liveUrl?.(c.entry.id) ?? null;
      },
      // A stream that ends on our side (ffmpeg exited, the relayed camera hung up) is ended at the platform too.
      request: (req) => this.agent!.request(req),
      identity: () => this.agent?.identity() ?? null,
      onEvent: (e) => log.info({ ...e }, `GB/T 28181 live view ${e.event}`),
    });
    this.live = live;
    const subs = new gb28181.CatalogSubscriptions({
      deviceId: this.gb.id,
      charset: this.gb.charset,
      maxExpiresS: 86_400,
      identity: () => this.agent?.identity() ?? null,
      send: (req) => this.agent!.request(req),
    });
    this.subs = subs;
    const ptz = new GbPtz({
      gb: this.gb,
      channels: scene.channels,
      onvifPtz: (id) => this.deps.onvifPtz?.(id) ?? null,
      platform: () => this.platform(),
      log,
    });
    this.agent = new gb28181.LowerAgent({
      deviceId: this.gb.id,
      serverId: this.gb.upper.id,
      serverDomain: this.gb.upper.domain,
      serverHost: this.gb.upper.host,
      serverPort: this.gb.upper.port,
      transport: this.gb.upper.transport === 'tcp' ? 'TCP' : 'UDP',
      ...(this.gb.username ? { username: this.gb.username } : {}),
      // Re-read before every registration: a password corrected on site is used without a restart.
      password: () => {
        try {
          last = readGbPassword(this.gb.passwordFile, this.deps.configFile);
        } catch {
          // Keep the last readable password while the file is being rewritten.
        }
        return last;
      },
      expiresS: this.gb.expiresS,
      keepaliveS: this.gb.keepaliveS,
      keepaliveMisses: this.gb.keepaliveMisses,
      charset: this.gb.charset,
      ...(this.gb.edition === 2022 ? { gbVersion: '3.0' as const } : {}),
      bindHost: this.gb.bindHost,
      timers: this.deps.timers ?? { t1Ms: this.gb.t1Ms, t2Ms: Math.max(this.gb.t1Ms * 8, 4000) },
      answer: (q) => (q.root === 'Control' ? ptz.answer(q) : answerQuery(q, scene)),
      handle: (req) => subs.handle(req) ?? live.handle(req),
      onLost: () => void live.stopAll('link to the upper platform lost'),
      onState: (s) => {
        if (s.state === 'registered') {
          log.info({ platform: this.platform(), publicAddress: s.publicAddress }, 'GB/T 28181 registered');
          void this.flush();
        } else if (s.lastError)
          log.warn({ platform: this.platform(), state: s.state, err: s.lastError }, 'GB/T 28181 link');
      },
    });
    const queue = (alarm: gb28181.AlarmNotify) => {
      this.pending.push(gb28181.alarmXml(this.agent!.nextSn(), alarm, this.gb.charset));
      if (this.pending.length > MAX_PENDING_ALARMS) this.pending.shift();
    };
    this.unsubscribes.push(
      this.deps.onCommitted((events) => {
        const changes = events.flatMap((e) => catalogChangesFor(e, scene));
        if (changes.length) void subs.notify(changes);
        for (const e of events) {
          const alarm = alarmFor(e, this.gb.id, cameras);
          if (alarm) queue(alarm);
        }
        void this.flush();
      }),
    );
    for (const entry of this.deps.devices) {
      const dev = downward(entry.id);
      if (!dev) continue;
      // A downward camera's own Alarm goes up as it came, under the channel's upward code (gb-channels.ts).
      this.unsubscribes.push(
        dev.onAlarm((a) => {
          const alarm = forwardedAlarm(a, entry, scene.channels());
          if (!alarm) return;
          queue(alarm);
          void this.flush();
        }),
      );
      // Its Catalog can change the channels it shows as (first answer, an NVR's channels added or removed).
      let known = new Map(
        scene
          .channels()
          .filter((c) => c.entry.id === entry.id)
          .map((c) => [c.gbId, c]),
      );
      this.unsubscribes.push(
        dev.onCatalog(() => {
          const now = scene.channels().filter((c) => c.entry.id === entry.id);
          const added = now.filter((c) => !known.has(c.gbId));
          const gone = [...known.values()].filter((c) => !now.some((n) => n.gbId === c.gbId));
          known = new Map(now.map((c) => [c.gbId, c]));
          const changes = [
            ...catalogItems(scene, added).map((i) => ({ ...i, event: 'ADD' as const })),
            ...catalogItems(scene, gone).map((i) => ({ ...i, event: 'DEL' as const })),
          ];
          if (changes.length) void subs.notify(changes);
        }),
      );
    }
    this.agent.start();
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribes.splice(0)) u();
    await this.live?.stopAll('gateway stopping');
    await this.agent?.stop();
  }

  report(): GbLinkReport {
    const s = this.agent?.status();
    return {
      state: s?.state ?? 'stopped',
      platform: this.platform(),
      since: s?.since ?? Date.now(),
      lastError: s?.lastError ?? null,
      lastErrorAt: s?.lastErrorAt ?? null,
      registeredUntil: s?.registeredUntil ?? null,
      publicAddress: s?.publicAddress ?? null,
      alarmsSent: this.sent,
      liveStreams: this.live?.count() ?? 0,
      catalogSubscriptions: this.subs?.count() ?? 0,
      alarmsPending: this.pending.length,
    };
  }

  private platform(): string {
    const u = this.gb.upper;
    return `${u.id}@${u.host}:${u.port}/${u.transport}`;
  }

  /** Sends queued alarms in order; one that is not answered stays first in line for the next registration. */
  private async flush(): Promise<void> {
    if (this.flushing || !this.agent) return;
    this.flushing = true;
    try {
      while (this.pending.length && this.agent.status().state === 'registered') {
        if (!(await this.agent.notify(this.pending[0]!))) break;
        this.pending.shift();
        this.sent++;
      }
    } finally {
      this.flushing = false;
    }
  }
}

/** The registration password from its file, which must be 0600 (it opens the compound's video to whoever holds it). */
export function readGbPassword(file: string, configFile: string): string {
  const problem = (message: string) =>
    new ConfigError(configFile, [{ line: null, field: 'gb28181.passwordFile', message }]);
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0)
      throw problem(`${file} is readable by other users; chmod 600 it (it holds the GB/T 28181 password)`);
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw problem(
      `cannot read ${file} (${(err as NodeJS.ErrnoException).code}); write the password the upper platform gave into it`,
    );
  }
  if (!text) throw problem(`${file} is empty; write the password the upper platform gave into it`);
  return text;
}
