import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ConfigError, LinliError } from '@linli/contract';
import type { DefinitionRegistry } from '@linli/drivers';
import { Outbox } from './buffer/outbox.js';
import type { LoadedConfig } from './config/load.js';
import { DeviceManager } from './devices/device-manager.js';
import type { Escaped } from './cli/process-guard.js';
import type { Logger } from './log.js';
import { droppedLogWrites } from './log-destination.js';
import { MediaService } from './media/media-service.js';
import type { Snapshotter } from './media/snapshot-linker.js';
import { renderMetrics } from './metrics.js';
import { declaredDevices } from './uplink/declaration.js';
import { Uplink } from './uplink/uplink.js';
import { CommandRouter } from './commands/router.js';
import { AlarmLog } from './flows/alarm-log.js';
import { EmbeddedFlows } from './flows/embedded-flows.js';
import { LoginLimiter } from './flows/login-limiter.js';
import { readPasswordHash } from './flows/password.js';
import { createRuntimeApi, type LinliRuntimeApi } from './flows/runtime-api.js';
import { statusRoute } from './flows/status-route.js';
import { createLocalPage } from './local-page/index.js';
import { looseModes, looseModesWarning } from './file-modes.js';
import { GbLink } from './gb28181/gb-link.js';
import type { DownwardGb } from './gb28181/gb-channels.js';
import type { OnvifPtz } from './gb28181/gb-ptz.js';

/** Expire old telemetry, retry the disk reserve, report overflows. */
const MAINTAIN_INTERVAL_MS = 30_000;

/**
 * Owns the gateway's parts and their order: the outbox opens first and closes
 * last, so no event produced during start or stop is ever dropped.
 */
export class Controller {
  private outbox: Outbox | null = null;
  private uplink: Uplink | null = null;
  private devices: DeviceManager | null = null;
  private media: MediaService | null = null;
  private http: Server | null = null;
  private maintainTimer: NodeJS.Timeout | null = null;
  private flows: EmbeddedFlows | null = null;
  private gb: GbLink | null = null;
  /** What the Linli nodes see (events, device state, alerts, commands); null without a flows section. */
  flowsApi: LinliRuntimeApi | null = null;
  private alarmLog: AlarmLog | null = null;
  private statusPage: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  /** Set by `linli-gateway run`: what escaped every handler, shown in /healthz and /metrics. */
  processErrors: Escaped | null = null;
  private localPage: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  /**
   * Hub commands (the downlink): device commands go to the device's driver,
   * `flows.apply` to the local rules. The uplink's socket side calls
   * `commands.handle(cmd)` and sends back the reply.
   */
  readonly commands: CommandRouter;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly registry: DefinitionRegistry,
    private readonly log: Logger,
  ) {
    this.commands = new CommandRouter((id) => this.devices?.handle(id), log.child({ part: 'commands' }));
  }

  async start(): Promise<void> {
    const { config } = this.loaded;
    const token = readToken(this.loaded.tokenFile, this.loaded.file, this.log);
    const blog = this.log.child({ part: 'buffer' });
    this.outbox = new Outbox({
      file: join(this.loaded.dataDir, 'buffer.sqlite'),
      gatewayId: config.gateway.id,
      synchronous: config.buffer.synchronous,
      maxBytes: config.buffer.maxBytes,
      maxAgeMs: config.buffer.maxAgeHours * 3600_000,
      ballastBytes: config.buffer.ballastBytes,
      location: config.gateway.location ?? config.devices[0]?.location,
      onProblem: (msg, fields, level) => blog[level ?? 'error'](fields, msg),
    });
    // Checked once the outbox has made the folder (0700) on a first start; later loosening is only warned about.
    const loose = looseModes(this.loaded.dataDir);
    if (loose.length) this.log.warn({ loose: loose.map((l) => l.path) }, looseModesWarning(loose));
    this.maintainTimer = setInterval(() => this.outbox?.maintain(), MAINTAIN_INTERVAL_MS);
    this.maintainTimer.unref();
    this.uplink = new Uplink(
      this.outbox,
      {
        hubUrl: config.hub.url,
        gatewayId: config.gateway.id,
        // Re-read before every attempt: a token re-issued after a revocation is picked up without a restart.
        token: latestToken(this.loaded.tokenFile, token),
        connectTimeoutMs: config.hub.connectTimeoutMs,
        reconnectDelayMaxMs: config.hub.reconnectMaxMs,
        unreachableWarnMs: config.hub.unreachableWarnMs,
        devices: () => this.deviceCounts(),
        declaration: () => declaredDevices(config.devices),
        flowsVersion: () => this.flows?.version() ?? null,
        gb28181: () => this.gbReport(),
        onCommand: (cmd) => this.commands.handle(cmd),
      },
      this.log.child({ part: 'uplink' }),
    );
    this.uplink.start();
    this.devices = new DeviceManager(config.devices, this.registry, this.outbox, this.log.child({ part: 'devices' }));
    const devices = this.devices;
    this.media = new MediaService(
      { dataDir: this.loaded.dataDir, ...config.media },
      config.devices,
      (id) => {
        const h = devices.handle(id) as Partial<Snapshotter> | undefined;
        return typeof h?.snapshot === 'function' ? (h as Snapshotter) : undefined;
      },
      this.log.child({ part: 'media' }),
    );
    this.media.start(this.outbox, this.uplink);
    devices.snapshots = this.media.sink;
    if (config.http) this.http = createServer((req, res) => this.route(req, res));
    // Rules first: they must be listening before the first device event.
    if (config.flows) await this.startFlows(config.flows.rollbackWindowMs);
    await this.devices.start();
    if (config.gb28181) this.startGb(config.gb28181);
    if (this.http && config.http) await this.listen(config.http.host, config.http.port);
    this.log.info(
      { gateway: config.gateway.id, devices: config.devices.length, buffered: this.outbox.stats().depth },
      'gateway started',
    );
  }

  /** Devices stop first (no new events), then the link; the buffer closes last, flushing what is pending. */
  async stop(): Promise<void> {
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    await this.gb?.stop();
    await this.devices?.stop();
    await this.media?.stop();
    await this.flows?.stop();
    await this.uplink?.stop();
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()));
    this.outbox?.close();
    this.alarmLog?.close();
    this.log.info('gateway stopped');
  }

  health() {
    return {
      gateway: this.loaded.config.gateway.id,
      uplink: this.uplink?.state ?? 'stopped',
      link: this.uplink?.link() ?? null,
      replayRate: this.uplink?.replayRate() ?? 0,
      buffer: this.outbox?.stats() ?? null,
      devices: this.devices?.status() ?? [],
      media: { queued: this.media?.queued() ?? 0 },
      flowsVersion: this.flows?.version() ?? null,
      gb28181: this.gb?.report() ?? null,
      process: {
        escapedErrors: this.processErrors?.count ?? 0,
        lastEscaped: this.processErrors?.last ?? null,
        droppedLogWrites: droppedLogWrites.count,
      },
    };
  }

  /** The HTTP address the gateway listens on (after start), for tests and logs. */
  address(): { host: string; port: number } | null {
    const a = this.http?.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
  }

  /**
   * Local rules: Node-RED with the Linli nodes, fed by the outbox's committed
   * events; the editor and the on-site status page share one password.
   */
  private async startFlows(rollbackWindowMs: number): Promise<void> {
    const { config, dataDir } = this.loaded;
    const log = this.log.child({ part: 'flows' });
    const alarmLog = openAlarmLog(join(dataDir, 'alarms.sqlite'), log);
    this.alarmLog = alarmLog;
    if (alarmLog) this.outbox!.onAppend((events) => alarmLog.record(events), 'alarm-log');
    const limiter = new LoginLimiter();
    const api = createRuntimeApi({
      gatewayId: config.gateway.id,
      outbox: this.outbox!,
      devices: this.devices!,
      location: config.gateway.location ?? config.devices[0]?.location,
      onListenerError: (err) => log.error({ err: String(err) }, 'a flow failed handling an event'),
    });
    this.flowsApi = api;
    this.flows = new EmbeddedFlows({
      dataDir,
      api,
      passwordFile: this.loaded.flowsPasswordFile!,
      trustedKeyFile: this.loaded.flowsTrustedKeyFile,
      rollbackWindowMs,
      limiter,
      log,
    });
    await this.flows.start(this.http);
    const flows = this.flows;
    this.commands.register('flows.apply', async (cmd) => {
      const r = await flows.applyFlowSet(cmd.args);
      if (!r.ok)
        throw new LinliError(
          r.rolledBack ? 'FLOWS_ROLLED_BACK' : 'FLOWS_REFUSED',
          `${r.error ?? 'failed'} (running ${r.version})`,
        );
      return { ...r };
    });
    const pw = readPasswordHash(this.loaded.flowsPasswordFile!);
    if ('hash' in pw)
      this.localPage = createLocalPage({
        ...{ gatewayId: config.gateway.id, hash: pw.hash, limiter, log: this.log.child({ part: 'local-page' }) },
        ...{ outbox: this.outbox!, entries: config.devices, registry: this.registry },
        handle: (id) => this.devices?.handle(id),
        status: () => ({
          uplink: this.uplink?.state ?? 'stopped',
          link: this.uplink?.link() ?? null,
          flowsVersion: this.flows?.version() ?? null,
          buffer: this.bufferView(),
        }),
      });
    if ('hash' in pw)
      this.statusPage = statusRoute({
        hash: pw.hash,
        limiter,
        log,
        view: () => {
          const h = this.health();
          return {
            gatewayId: h.gateway,
            now: Date.now(),
            uplink: h.uplink,
            flowsVersion: h.flowsVersion,
            buffer: { depth: h.buffer?.depth ?? 0, oldestReceivedAt: h.buffer?.oldestReceivedAt ?? null },
            devices: h.devices,
            alarms: alarmLog?.since(Date.now() - 24 * 3600_000) ?? [],
            firstUndelivered: this.outbox?.readAfter(0, 1)[0]?.seq ?? null,
          };
        },
      });
  }

  /** The compound's cameras towards the public-security platform (docs/gb28181.md). */
  private startGb(gb: NonNullable<LoadedConfig['config']['gb28181']>): void {
    const { config } = this.loaded;
    this.gb = new GbLink(gb, {
      configFile: this.loaded.file,
      gatewayName: config.gateway.name ?? config.gateway.id,
      devices: config.devices,
      online: (id) => this.devices?.status().find((d) => d.id === id)?.online ?? null,
      onCommitted: (fn) => this.outbox!.onAppend(fn, 'gb28181'),
      downward: (id) => {
        const h = this.devices?.handle(id) as Partial<DownwardGb> | undefined;
        return typeof h?.liveLeg === 'function' ? (h as DownwardGb) : undefined;
      },
      liveUrl: (id) => {
        const h = this.devices?.handle(id) as { liveUrl?: () => string | null } | undefined;
        return typeof h?.liveUrl === 'function' ? h.liveUrl() : null;
      },
      onvifPtz: (id) => {
        const h = this.devices?.handle(id) as { ptz?: OnvifPtz } | undefined;
        return typeof h?.ptz === 'function' ? (v) => h.ptz!(v) : null;
      },
      log: this.log.child({ part: 'gb28181' }),
    });
    this.gb.start();
  }

  private gbReport() {
    const r = this.gb?.report();
    if (!r) return null;
    const { state, platform, since, lastError, lastErrorAt, alarmsPending } = r;
    return { state, platform, since, lastError, lastErrorAt, alarmsPending };
  }

  private bufferView() {
    const b = this.outbox?.stats();
    return { depth: b?.depth ?? 0, oldestReceivedAt: b?.oldestReceivedAt ?? null };
  }

  private deviceCounts() {
    const all = this.devices?.status() ?? [];
    return { total: all.length, online: all.filter((d) => d.online).length };
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (this.flows?.handle(req, res) || this.statusPage?.(req, res) || this.localPage?.(req, res)) return;
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.health()));
    } else if (req.url === '/metrics' && this.outbox) {
      const body = renderMetrics({
        gatewayId: this.loaded.config.gateway.id,
        buffer: this.outbox.stats(),
        uplinkState: this.uplink?.state ?? 'stopped',
        replayRate: this.uplink?.replayRate() ?? 0,
        devices: this.devices?.status() ?? [],
        now: Date.now(),
        escapedErrors: this.processErrors?.count ?? 0,
        droppedLogWrites: droppedLogWrites.count,
      });
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
    } else {
      res.writeHead(404).end();
    }
  }

  private async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve) => this.http!.listen(port, host, resolve));
    this.log.info({ http: this.address() }, 'http listening');
  }
}

/** The status page's alarm record; a gateway started on a full disk runs without it rather than not at all. */
function openAlarmLog(file: string, log: Logger): AlarmLog | null {
  try {
    return new AlarmLog(file, log.child({ part: 'alarm-log' }));
  } catch (err) {
    log.error({ err: String(err) }, 'alarm log unavailable (disk full?); the status page shows no alarm history');
    return null;
  }
}

function readToken(file: string, configFile: string, log: Logger): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
    if ((statSync(file).mode & 0o077) !== 0) log.warn({ file }, 'token file is readable by other users; chmod 600 it');
  } catch (err) {
    throw new ConfigError(configFile, [
      {
        line: null,
        field: 'hub.tokenFile',
        message: `cannot read token file ${file} (${(err as NodeJS.ErrnoException).code}); enroll this gateway first`,
      },
    ]);
  }
  if (token.length < 32)
    throw new ConfigError(configFile, [
      {
        line: null,
        field: 'hub.tokenFile',
        message: `token in ${file} is too short to be one the hub issued`,
      },
    ]);
  return token;
}

/** The token file's current content; the last good token while the file is unreadable or being rewritten. */
function latestToken(file: string, initial: string): () => string {
  let last = initial;
  return () => {
    try {
      const t = readFileSync(file, 'utf8').trim();
      if (t.length >= 32) last = t;
    } catch {
      // Keep the last good token: a missing file mid-rewrite must not stop the gateway retrying.
    }
    return last;
  };
}
