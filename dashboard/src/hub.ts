import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldUpdate, GatewayView } from '@linli/contract';
import { demoBasemapPath } from '@linli/geo';
import { ApiRouter } from './api/router.js';
import { apiRoutes } from './api/routes/index.js';
import type { AuditSink } from './auth/audit-sink.js';
import { AuthService } from './auth/auth-service.js';
import { removeSetupTokenFile, setupTokenPath, writeSetupTokenFile } from './auth/setup-token-file.js';
import { type Alert, AlertService } from './alerts/index.js';
import { AuditLog } from './audit/audit-log.js';
import type { AuditInput } from './audit/types.js';
import { auditSink } from './audit/audit-sink-adapter.js';
import { UnmaskReport } from './audit/unmask-report.js';
import { StepUp } from './auth/step-up.js';
import { UnmaskGrants } from './auth/unmask-grants.js';
import { type UnmaskLimits, unmaskLimits } from './auth/unmask-limits.js';
import { ActiveCity, catalogOf } from './city/active-city.js';
import { CityService } from './city/city-service.js';
import { CityStore } from './city/city-store.js';
import { startActiveCity } from './city/hub-city.js';
import { CityTiles } from './city/city-tiles.js';
import { PeopleRegister } from './people/register.js';
import { seedDemoRegister } from './people/demo-register.js';
import { FieldCrypto } from './privacy/field-crypto.js';
import { CommandService } from './commands/command-service.js';
import { type BasemapRoute, openBasemap } from './http/basemap-route.js';
import { TrustedProxies } from './http/client-ip.js';
import { createHttpHandler } from './http/http-handler.js';
import { looseModes, looseModesWarning } from './file-modes.js';
import type { Logger } from './log.js';
import { MediaStore } from './media/media-store.js';
import { FieldService } from './field/field-service.js';
import type { SqlHubStore } from './store/sql-hub-store.js';
import { SqliteDb } from './store/sql/sqlite-db.js';
import { Leadership } from './cluster/leadership.js';
import { HubChores } from './cluster/chores.js';
import { attachHubSockets, type HubSockets } from './sockets/hub-sockets.js';
import type { GatewayRateLimits } from './sockets/gateway-rate.js';

export interface HubOptions {
  host: string;
  port: number;
  store: SqlHubStore;
  /** Holds the hub's key file and, before the first admin exists, the one-time setup token. */
  dataDir: string;
  log: Logger;
  webRoot?: string;
  /** SLA timers, fold window (see docs/alerts.md); defaults when absent. */
  alertConfig?: unknown;
  /** Events and their pictures older than this many days are deleted (alerts, their history and the audit log are kept). Default 180. */
  retentionDays?: number;
  /** A customer's city extract (.pmtiles, vector); default LINLI_BASEMAP, else the demo city's archive. */
  basemap?: string;
  /** Seed the synthetic key-population register (clearly fake names) when it is empty: for the demo. */
  demoRegister?: boolean;
  /** 'demo': the demo city is the first import of an empty database (city/hub-city.ts); absent, a hub may have no city. */
  city?: 'demo';
  /** How often this node checks which city version is active (default city/active-city.ts CITY_POLL_MS). */
  cityPollMs?: number;
  /** This node's name among several sharing one database (default: host name and process id). */
  nodeId?: string;
  /** redis://… : Socket.IO across several hub nodes (needs a PostgreSQL store); absent, one node. */
  redis?: string;
  /** Per-gateway rate limits (see sockets/gateway-rate.ts). */
  gatewayRate?: GatewayRateLimits;
  /** Unmasked reads per hour, step-up window, longest grant (auth/unmask-limits.ts). */
  unmask?: Partial<UnmaskLimits>;
  /** Field work: matter categories, check-in radius, position retention (docs/field.md); defaults when absent. */
  fieldConfig?: unknown;
  /** Balancers whose X-Forwarded-For is believed (addresses or CIDR blocks); default none (http/client-ip.ts). */
  trustedProxies?: readonly string[];
}

export { DEFAULT_RETENTION_DAYS } from './cluster/chores.js';
/** A gateway clock further than this from the hub's is flagged (ordering never depends on it). */
export const CLOCK_SKEW_LIMIT_MS = 30_000;
/** The hub's version, as /healthz reports it: the package's own, so the two cannot disagree. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
/** A node heartbeats every tick; one silent this long is dead, and its gateways count as disconnected. */
export const NODE_ALIVE_MS = 15_000;

/**
 * The services a hub is made of, over one SQLite store; built once so the CLI
 * and the server share them. One key file (privacy.key, 0600) seals personal
 * fields and TOTP seeds and keys the audit chain's HMAC.
 */
export function hubServices(store: SqlHubStore, dataDir: string, log?: Logger, unmaskOver: Partial<UnmaskLimits> = {}) {
  const crypto = FieldCrypto.open(dataDir);
  const limits = unmaskLimits(unmaskOver);
  const auditLog = new AuditLog(store.db, {
    hmacKey: crypto.auditKey,
    ...(log
      ? {
          onWriteError: (err: unknown, e: AuditInput) =>
            log.error(
              { err: String(err), action: e.action, target: `${e.target.type}:${e.target.id}`, userId: e.userId },
              'audit entry not written',
            ),
        }
      : {}),
  });
  const audit = auditSink(auditLog);
  const sealer = {
    seal: (plain: string, context: string) => crypto.encrypt(context, plain),
    open: (sealed: string, context: string) => crypto.decrypt(context, sealed),
  };
  const cityStore = new CityStore(store.db);
  const city = new ActiveCity(cityStore, log?.child({ ns: 'city' }));
  return {
    crypto,
    auditLog,
    audit,
    city,
    cities: new CityService(cityStore, auditLog),
    auth: new AuthService(store.db, sealer, audit, setupTokenPath(dataDir)),
    people: new PeopleRegister(store.db, crypto, auditLog, () => city.current().index, limits),
    unmask: {
      stepUp: new StepUp(store.db, sealer, audit, limits.stepUpMs),
      grants: new UnmaskGrants(store.db, auditLog, limits),
      report: new UnmaskReport(store.db, auditLog),
    },
    // Event pictures live in the hub database, so every node serves every picture.
    media: new MediaStore(store.db),
  };
}

/** The command-center hub: REST API and cockpit over HTTP, Socket.IO for gateways and cockpits, one store. */
export class Hub {
  private http: HttpServer | null = null;
  private sockets: HubSockets | null = null;
  private chores: HubChores | null = null;
  private stored = 0;
  readonly services: ReturnType<typeof hubServices>;
  readonly auth: AuthService;
  readonly commands: CommandService;
  readonly alerts: AlertService;
  readonly field: FieldService;
  private readonly audit: AuditSink;
  private emitAlert: (a: Alert) => void = () => {};
  private emitField: (u: FieldUpdate) => void = () => {};
  private basemap: BasemapRoute | null = null;
  private tiles: CityTiles | null = null;
  private readonly media: MediaStore;
  readonly nodeId: string;
  private readonly leadership: Leadership;

  constructor(private readonly opts: HubOptions) {
    this.nodeId = opts.nodeId ?? `${hostname()}-${process.pid}`;
    this.leadership = new Leadership(opts.store.db, opts.log.child({ ns: 'leader' }));
    this.services = hubServices(opts.store, opts.dataDir, opts.log.child({ ns: 'audit' }), opts.unmask);
    this.media = this.services.media;
    this.audit = this.services.audit;
    this.auth = this.services.auth;
    this.commands = new CommandService(opts.store.db, opts.store, this.audit, opts.log.child({ ns: 'commands' }));
    this.alerts = new AlertService(opts.store.db, { config: opts.alertConfig });
    this.field = new FieldService(opts.store.db, () => this.services.city.current().index, this.alerts, {
      config: opts.fieldConfig,
    });
  }

  async start(): Promise<{ port: number; setupTokenFile: string | null }> {
    const { store, log } = this.opts;
    const loose = looseModes(this.opts.dataDir);
    if (loose.length) log.warn({ loose: loose.map((l) => l.path) }, looseModesWarning(loose));
    // SQLite: the WAL is checkpointed off the ingest thread (store/sql/wal-checkpointer.ts); stopped by store.close().
    if (store.db instanceof SqliteDb) store.db.checkpointInBackground((message) => log.warn(message));
    const { city, cities } = this.services;
    await startActiveCity(city, cities, this.opts, log.child({ ns: 'city' }));
    if (this.opts.demoRegister) {
      const active = city.current();
      if (!active.version?.demo)
        log.warn('--demo-register needs the demo city active: the synthetic register was not seeded');
      else {
        const n = await seedDemoRegister(this.services.people, 7, active.tree);
        if (n) log.info({ residents: n }, 'seeded the synthetic demo register (fake names)');
      }
    }
    const proxies = new TrustedProxies(this.opts.trustedProxies ?? []);
    const areas = catalogOf(city);
    this.tiles = new CityTiles(city, log.child({ ns: 'area-tiles' }));
    const basemapFile = this.opts.basemap ?? process.env.LINLI_BASEMAP ?? demoBasemapPath();
    this.basemap = await openBasemap(basemapFile, log.child({ ns: 'basemap' }));
    const api = new ApiRouter(
      apiRoutes(
        {
          auth: this.auth,
          store,
          commands: this.commands,
          alerts: this.alerts,
          onAlertChanged: (a) => this.emitAlert(a),
          areas,
          tiles: this.tiles,
          city,
          cities,
          field: this.field,
          onFieldUpdate: (u) => this.emitField(u),
          audit: this.audit,
          auditLog: this.services.auditLog,
          people: this.services.people,
          unmask: this.services.unmask,
          media: this.media,
          tmpDir: join(this.opts.dataDir, 'tmp'),
          gatewayViews: () => this.gatewayViews(),
          onGatewayRevoked: (id) => this.sockets?.disconnectGateway(id),
        },
        VERSION,
      ),
      this.auth,
      log.child({ ns: 'api' }),
      this.audit,
      (req) => proxies.clientIp(req),
    );
    const handler = createHttpHandler({
      webRoot: this.opts.webRoot ?? fileURLToPath(new URL('../dist-web/', import.meta.url)),
      api,
      basemap: this.basemap.handle,
      health: () => ({ ok: true, eventsStored: this.stored, areaTiles: this.tiles?.status() ?? null }),
    });
    this.http = createServer(handler);
    const sockets = await attachHubSockets(this.http, {
      ...{ store, auth: this.auth, log, nodeId: this.nodeId, redis: this.opts.redis, city },
      ...{ commands: this.commands, audit: this.audit, auditLog: this.services.auditLog, media: this.media },
      gatewayRate: this.opts.gatewayRate,
      onStored: (events) => {
        this.stored += events.length;
        this.raiseAlerts(events);
      },
    });
    this.sockets = sockets;
    this.emitAlert = (a) => sockets.emitAlert(a);
    this.emitField = (u) => sockets.emitField(u);
    this.chores = new HubChores({
      ...{ store, nodeId: this.nodeId, leadership: this.leadership, log, retentionDays: this.opts.retentionDays },
      ...{ alerts: this.alerts, commands: this.commands, auth: this.auth, media: this.media, field: this.field },
      emitAlert: (a) => this.emitAlert(a),
      gatewayViews: () => this.gatewayViews(),
      broadcastGateways: (v) => sockets.broadcastGateways(v),
    });
    this.chores.start();
    await store.heartbeat(this.nodeId, Date.now());
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const addr = this.http.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    log.info({ host: this.opts.host, port }, 'hub listening');
    // Cut the city's area tiles now, not when the first wall asks after a restart (docs/scale.md).
    this.tiles!.warm();
    return { port, setupTokenFile: await this.writeSetupToken() };
  }

  /**
   * With no users yet, a one-time token for creating the first administrator
   * goes to a 0600 file (not the log): whoever can read the hub's data folder
   * is who may set it up. With users, a file left over (setup done on another
   * node, or a crash right after it) is removed.
   */
  private async writeSetupToken(): Promise<string | null> {
    const token = await this.auth.ensureSetupToken(Date.now());
    const file = setupTokenPath(this.opts.dataDir);
    if (!token) {
      const left = removeSetupTokenFile(file);
      if (!left.removed) this.opts.log.warn({ file, err: left.error }, 'a spent setup token file could not be removed');
      return null;
    }
    writeSetupTokenFile(file, token);
    return file;
  }

  /** Alarms become (or fold into) alerts; a failure here never loses the stored events. */
  private raiseAlerts(events: Parameters<AlertService['ingest']>[0]): void {
    this.alerts.ingest(events).then(
      (alerts) => {
        for (const a of alerts) this.emitAlert(a);
      },
      (err: unknown) => this.opts.log.error({ err: String(err) }, 'alerts not raised for a stored batch'),
    );
  }

  /** Every gateway's delivery state for the cockpit's device status. */
  async gatewayViews(): Promise<GatewayView[]> {
    return (await this.opts.store.gatewayStates(Date.now() - NODE_ALIVE_MS)).map((g) => ({
      ...g,
      clockSuspect: g.clockSkewMs !== null && Math.abs(g.clockSkewMs) > CLOCK_SKEW_LIMIT_MS,
    }));
  }

  async stop(): Promise<void> {
    this.chores?.stop();
    await this.services.city.stop();
    await this.sockets?.close();
    await this.basemap?.close();
    await this.tiles?.close();
    await this.leadership.close();
    // Entries the auth and command paths queued are written before the database closes.
    await this.services.auditLog.flush();
    await this.opts.store.close();
  }
}
