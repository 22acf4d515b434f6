import { createServer, type Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type GatewayView, wire } from '@linli/contract';
import { loadDemoCity, toGeoJson } from '@linli/geo';
import { Server } from 'socket.io';
import { createHttpHandler } from './http/http-handler.js';
import type { Logger } from './log.js';
import { MediaStore } from './media/media-store.js';
import { attachCockpitNamespace } from './sockets/cockpit-namespace.js';
import { attachGatewayNamespace } from './sockets/gateway-namespace.js';
import type { HubStore } from './store/hub-store.js';

export interface HubOptions {
  host: string;
  port: number;
  store: HubStore;
  log: Logger;
  webRoot?: string;
  /** Event pictures; without one they live in memory until the hub stops. */
  media?: MediaStore;
}

export const COCKPIT_KEY_SETTING = 'cockpit_key_hash';
const GATEWAY_VIEW_INTERVAL_MS = 2000;
/** A gateway clock further than this from the hub's is flagged (ordering never depends on it). */
export const CLOCK_SKEW_LIMIT_MS = 30_000;

/** The command-center hub: HTTP for the cockpit, Socket.IO for gateways and cockpits, one store. */
export class Hub {
  private http: HttpServer | null = null;
  private io: Server | null = null;
  private stored = 0;
  private readonly connections = new Map<string, number>();
  private viewTimer: NodeJS.Timeout | null = null;
  private readonly media: MediaStore;

  constructor(private readonly opts: HubOptions) {
    this.media = opts.media ?? new MediaStore(':memory:');
  }

  async start(): Promise<{ port: number }> {
    const { store, log } = this.opts;
    const keyHash = () => store.getSetting(COCKPIT_KEY_SETTING);
    const handler = createHttpHandler({
      webRoot: this.opts.webRoot ?? fileURLToPath(new URL('../dist-web/', import.meta.url)),
      areasJson: JSON.stringify(toGeoJson(loadDemoCity())),
      cockpitKeyHash: keyHash,
      health: () => ({ ok: true, eventsStored: this.stored }),
      gateways: () => this.gatewayViews(),
      media: this.media,
    });
    this.http = createServer(handler);
    this.io = new Server(this.http, {
      maxHttpBufferSize: wire.MAX_MESSAGE_BYTES,
      serveClient: false,
      cors: { origin: false },
    });
    const cockpit = attachCockpitNamespace(this.io, store, keyHash, log.child({ ns: 'cockpit' }));
    attachGatewayNamespace(
      this.io,
      store,
      log.child({ ns: 'gateway' }),
      {
        onStored: (events) => {
          this.stored += events.length;
          cockpit.broadcast(events);
        },
        onConnection: (id, up) => this.connections.set(id, (this.connections.get(id) ?? 0) + (up ? 1 : -1)),
      },
      this.media,
    );
    this.viewTimer = setInterval(() => cockpit.broadcastGateways(this.gatewayViews()), GATEWAY_VIEW_INTERVAL_MS);
    this.viewTimer.unref();
    await new Promise<void>((resolve, reject) => {
      this.http!.once('error', reject);
      this.http!.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const addr = this.http.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
    log.info({ host: this.opts.host, port }, 'hub listening');
    return { port };
  }

  /** Every gateway's delivery state for the cockpit's device status. */
  gatewayViews(): GatewayView[] {
    return this.opts.store.gatewayStates().map((g) => ({
      ...g,
      connected: (this.connections.get(g.id) ?? 0) > 0,
      clockSuspect: g.clockSkewMs !== null && Math.abs(g.clockSkewMs) > CLOCK_SKEW_LIMIT_MS,
    }));
  }

  async stop(): Promise<void> {
    if (this.viewTimer) clearInterval(this.viewTimer);
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    this.opts.store.close();
    this.media.close();
  }
}
