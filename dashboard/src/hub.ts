import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FieldUpdate, type GatewayView, type LinliEvent, wire } from '@linli/contract';
import { demoBasemapPath } from '@linli/geo';
import { Server } from 'socket.io';
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
import { announceCityChanges } from './city/city-changed.js';
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
import { attachCockpitNamespace } from './sockets/cockpit-namespace.js';
import { attachGatewayNamespace } from './sockets/gateway-namespace.js';
import { refuseRootNamespace } from './sockets/root-namespace.js';
import type { SqlHubStore } from './store/sql-hub-store.js';
import { ensureEventPartitions } from './store/sql/partitions.js';
import { Leadership } from './cluster/leadership.js';
import { connectRedisAdapter } from './cluster/redis-adapter.js';
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

const GATEWAY_VIEW_INTERVAL_MS = 2000;
const TICK_MS = 1000;
/** Retention runs once a minute, a bounded chunk at a time (catching up on a large backlog over several minutes). */
const PRUNE_EVERY_MS = 60_000;
const PRUNE_CHUNK = 20_000;
export const DEFAULT_RETENTION_DAYS = 180;
/** A gateway clock further than this from the hub's is flagged (ordering never depends on it). */
export const CLOCK_SKEW_LIMIT_MS = 30_000;
/** The hub's version, as /healthz reports it: the package's own, so the two cannot disagree. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
/** The leader looks this far back for alarms stored without an alert, leaving the storing node this long to raise them. */
const MISSED_ALARM_WINDOW_MS = 15 * 60_000;
const MISSED_ALARM_GRACE_MS = 5_000;
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
  private io: Server | null = null;
  private stored = 0;
  private timers: NodeJS.Timeout[] = [];
  private closeCockpit: (() => void) | null = null;
  private closeGateways: (() => void) | null = null;
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
  private lastPrune = 0;
  private readonly media: MediaStore;
  readonly nodeId: string;
  private ticking = false;
  private redis: { close(): Promise<void> } | null = null;
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
          onGatewayRevoked: (id) => gateways.disconnect(id),
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
      health: () => ({ ok: true, eventsStored: this.stored }),
    });
    this.http = createServer(handler);
    this.io = new Server(this.http, {
      maxHttpBufferSize: wire.MAX_MESSAGE_BYTES,
      serveClient: false,
      cors: { origin: false },
    });
    refuseRootNamespace(this.io);
    if (this.opts.redis) {
      if (store.db.dialect !== 'postgres')
        throw new Error('--redis (several hub nodes) needs --database postgres://…: nodes must share one database');
      const redis = await connectRedisAdapter(this.opts.redis, log.child({ ns: 'redis' }));
      this.redis = redis;
      this.io.adapter(redis.adapter);
      log.info({ node: this.nodeId }, 'clustered: Socket.IO through Redis');
    }
    const cockpit = attachCockpitNamespace(this.io, store, this.auth, log.child({ ns: 'cockpit' }), !!this.opts.redis);
    this.closeCockpit = cockpit.close;
    this.emitAlert = (a) => {
      cockpit.emitScoped('alert', a.gridId, a);
      if (a.assignee?.type === 'user') cockpit.emitToUser(a.assignee.id, 'alert', a);
    };
    this.emitField = (u) => cockpit.emitOversee(u.gridId, 'field', u);
    announceCityChanges(this.services.city, cockpit, log);
    const gateways = attachGatewayNamespace(
      this.io,
      store,
      log.child({ ns: 'gateway' }),
      {
        onStored: (events) => {
          this.stored += events.length;
          cockpit.broadcast(events);
          this.raiseAlerts(events);
        },
        // The database records which node holds each gateway, so every node's cockpit shows the same state.
        audit: this.services.auditLog,
        onConnection: (id, up) => {
          void this.opts.store
            .setGatewayNode(id, up ? this.nodeId : null, up ? undefined : this.nodeId)
            .catch((err: unknown) => log.warn({ err: String(err), gatewayId: id }, 'gateway presence not recorded'));
          if (up)
            void this.commands
              .deliver(id)
              .catch((err: unknown) => log.warn({ err: String(err), gatewayId: id }, 'commands not delivered'));
        },
        // A contested gateway identity (at most once a minute per gateway) goes to the audit log.
        onIdentityConflict: (c) =>
          this.audit.record({
            ...{ userId: 'system:gateway-link', role: '-', action: 'gateway:duplicate-connection' },
            ...{ targetType: 'gateway', targetId: c.gatewayId, outcome: c.outcome === 'refused' ? 'denied' : 'ok' },
            detail: `${c.outcome}: ${c.addr} vs ${c.otherAddr}; replaced ${c.replaced}, refused ${c.refused}`,
          }),
      },
      this.media,
      this.opts.gatewayRate,
    );
    this.commands.attach((id, cmd) => gateways.sendCommand(id, cmd));
    this.closeGateways = gateways.close;
    this.timers.push(
      setInterval(
        () =>
          void this.gatewayViews().then(
            (v) => cockpit.broadcastGateways(v),
            (err: unknown) => log.warn({ err: String(err) }, 'gateway views not read'),
          ),
        GATEWAY_VIEW_INTERVAL_MS,
      ),
      setInterval(() => this.tick(), TICK_MS),
    );
    for (const t of this.timers) t.unref();
    await store.heartbeat(this.nodeId, Date.now());
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const addr = this.http.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    log.info({ host: this.opts.host, port }, 'hub listening');
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

  /** One tick at a time: a slow database never stacks ticks up. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.tickOnce()
      .catch((err: unknown) => this.opts.log.error({ err: String(err) }, 'hub tick failed'))
      .finally(() => (this.ticking = false));
  }

  private async tickOnce(): Promise<void> {
    const now = Date.now();
    await this.opts.store.heartbeat(this.nodeId, now);
    // Cluster-wide chores run on one node (the leader); the others only heartbeat.
    if (!(await this.leadership.isLeader())) return;
    try {
      for (const a of await this.alerts.tick()) this.emitAlert(a);
      for (const a of await this.raiseMissedAlarms(now)) this.emitAlert(a);
    } catch (err) {
      this.opts.log.error({ err: String(err) }, 'alert escalation tick failed');
    }
    try {
      await this.commands.tick(now);
    } catch (err) {
      this.opts.log.error({ err: String(err) }, 'command expiry tick failed');
    }
    // Housekeeping once a minute, not every tick: expired sessions are already refused when checked.
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.auth.sessions.prune(now);
      const days = this.opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
      const cutoff = now - days * 86_400_000;
      await ensureEventPartitions(this.opts.store.db, now);
      const n = await this.opts.store.pruneEvents(cutoff, PRUNE_CHUNK);
      const pics = await this.media.prune(cutoff, PRUNE_CHUNK);
      // Workers' positions and tracks by their own (shorter) period; field photos like event pictures.
      const field = await this.field.prune(now, cutoff, PRUNE_CHUNK);
      if (field.positions || field.photos) this.opts.log.info(field, 'retention: field positions and photos deleted');
      if (n || pics)
        this.opts.log.info({ deleted: n, pictures: pics, retentionDays: days }, 'retention: old events deleted');
    }
  }

  /**
   * Alarms a node stored but did not live to turn into alerts (it died between
   * its commit and raising them): the leader picks up alarm events older than a
   * few seconds with no alert link. Raising is idempotent per event id (under
   * the source's lock), so one that was merely slow is not raised twice.
   */
  private async raiseMissedAlarms(now: number): Promise<Alert[]> {
    const rows = await this.opts.store.db.all<{ body: string }>(
      `SELECT e.body FROM events e
        WHERE e.stored_at >= ? AND e.stored_at < ? AND e.severity IN ('warning', 'critical')
          AND NOT EXISTS (SELECT 1 FROM alert_events a WHERE a.event_id = e.id)
        ORDER BY e.stored_at LIMIT 500`,
      [now - MISSED_ALARM_WINDOW_MS, now - MISSED_ALARM_GRACE_MS],
    );
    if (!rows.length) return [];
    const events = rows.map((r) => JSON.parse(r.body) as LinliEvent);
    const raised = await this.alerts.ingest(events);
    if (raised.length)
      this.opts.log.warn({ events: events.length }, 'raised alerts for alarms a node stored but did not raise');
    return raised;
  }

  /** Every gateway's delivery state for the cockpit's device status. */
  async gatewayViews(): Promise<GatewayView[]> {
    return (await this.opts.store.gatewayStates(Date.now() - NODE_ALIVE_MS)).map((g) => ({
      ...g,
      clockSuspect: g.clockSkewMs !== null && Math.abs(g.clockSkewMs) > CLOCK_SKEW_LIMIT_MS,
    }));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.services.city.stop();
    this.closeCockpit?.();
    this.closeGateways?.();
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    await this.basemap?.close();
    await this.tiles?.close();
    await this.leadership.close();
    await this.redis?.close();
    // Entries the auth and command paths queued are written before the database closes.
    await this.services.auditLog.flush();
    await this.opts.store.close();
  }
}
