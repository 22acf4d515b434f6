import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ConfigError } from '@linli/contract';
import type { DefinitionRegistry } from '@linli/drivers';
import { Outbox } from './buffer/outbox.js';
import type { LoadedConfig } from './config/load.js';
import { DeviceManager } from './devices/device-manager.js';
import type { Logger } from './log.js';
import { MediaService } from './media/media-service.js';
import type { Snapshotter } from './media/snapshot-linker.js';
import { renderMetrics } from './metrics.js';
import { Uplink } from './uplink/uplink.js';

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

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly registry: DefinitionRegistry,
    private readonly log: Logger,
  ) {}

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
      onProblem: (msg, fields) => blog.error(fields, msg),
    });
    this.maintainTimer = setInterval(() => this.outbox?.maintain(), MAINTAIN_INTERVAL_MS);
    this.maintainTimer.unref();
    this.uplink = new Uplink(
      this.outbox,
      { hubUrl: config.hub.url, gatewayId: config.gateway.id, token, devices: () => this.deviceCounts() },
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
    await this.devices.start();
    if (config.http) await this.startHttp(config.http.host, config.http.port);
    this.log.info(
      { gateway: config.gateway.id, devices: config.devices.length, buffered: this.outbox.stats().depth },
      'gateway started',
    );
  }

  /** Devices stop first (no new events), then the link; the buffer closes last, flushing what is pending. */
  async stop(): Promise<void> {
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    await this.devices?.stop();
    await this.media?.stop();
    await this.uplink?.stop();
    await new Promise<void>((r) => (this.http ? this.http.close(() => r()) : r()));
    this.outbox?.close();
    this.log.info('gateway stopped');
  }

  health() {
    return {
      gateway: this.loaded.config.gateway.id,
      uplink: this.uplink?.state ?? 'stopped',
      replayRate: this.uplink?.replayRate() ?? 0,
      buffer: this.outbox?.stats() ?? null,
      devices: this.devices?.status() ?? [],
      media: { queued: this.media?.queued() ?? 0 },
    };
  }

  private deviceCounts() {
    const all = this.devices?.status() ?? [];
    return { total: all.length, online: all.filter((d) => d.online).length };
  }

  private async startHttp(host: string, port: number): Promise<void> {
    this.http = createServer((req, res) => {
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
        });
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.http!.listen(port, host, resolve));
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
