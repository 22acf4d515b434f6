import { type AreaFeature, AreaTileWorker, type TileScope, toGeoJson } from '@linli/geo';
import { scopePrefix } from '@linli/contract';
import type { Logger } from '../log.js';
import type { ActiveCity, CitySnapshot } from './active-city.js';

/** The levels drawn from tiles; the city outline stays in the /api/areas reply (it is one polygon). */
const TILE_LEVELS = new Set(['district', 'street', 'community', 'grid']);

interface Loaded {
  versionId: number;
  parents: Map<string, string | null>;
  ready: Promise<void>;
  state: 'cutting' | 'cut' | 'failed';
}

/** What /healthz says of the tiles: the version being served and whether its cut is done. */
export interface AreaTilesStatus {
  version: number | null;
  state: 'idle' | 'cutting' | 'cut' | 'failed';
}

/**
 * The active city's area polygons as vector tiles (docs/hub.md, "Area tiles").
 * One worker thread holds the cut (geo's AreaTileIndex: cutting a
 * 15,000-grid city takes over a second, off the event loop there). The hub
 * calls `warm()` once it listens, so the active city is cut before the first
 * map asks (a wall reloading after a restart does not wait for the cut), and
 * every activation is cut again at once, so the next request finds the new
 * city cut or being cut. A tile asked for before either starts the cut itself.
 *
 * Scope: every tile is encoded per request with only the features the viewer
 * may see (optionally one level), the same rule as /api/areas (areas inside their own, plus its
 * ancestors): a street leader never receives another street's polygons.
 */
export class CityTiles {
  private worker: AreaTileWorker | null = null;
  private loaded: Loaded | null = null;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly city: ActiveCity,
    private readonly log?: Logger,
  ) {
    this.unsubscribe = city.onChange((s) => {
      if (this.worker && s.version && s.version.id !== this.loaded?.versionId) this.load(s);
    });
  }

  /** The version whose tiles are served now, or null with no active city. */
  versionId(): number | null {
    return this.city.current().version?.id ?? null;
  }

  private load(s: CitySnapshot): Loaded {
    const features = toGeoJson(s.tree).features.filter((f: AreaFeature) => TILE_LEVELS.has(f.properties.level));
    const parents = new Map(s.tree.areas.map((a) => [a.code, a.parent] as const));
    const started = Date.now();
    const versionId = s.version!.id;
    const loaded: Loaded = { versionId, parents, ready: Promise.resolve(), state: 'cutting' };
    loaded.ready = this.worker!.load(features).then(
      () => {
        loaded.state = 'cut';
        this.log?.info({ version: versionId, features: features.length, ms: Date.now() - started }, 'area tiles cut');
      },
      (err: unknown) => {
        loaded.state = 'failed';
        // A hub stopped mid-cut (tests stop hubs a moment after start) closed the worker: not a fault.
        if (!this.closed) this.log?.error({ err: String(err), version: versionId }, 'area tiles not cut');
        throw err;
      },
    );
    loaded.ready.catch(() => {});
    this.loaded = loaded;
    return loaded;
  }

  /** Starts the worker and cuts the active city now, in the background (a failure is logged, and /healthz says so). */
  warm(): void {
    const s = this.city.current();
    if (!s.version) return;
    this.worker ??= new AreaTileWorker();
    if (this.loaded?.versionId !== s.version.id) this.load(s);
  }

  status(): AreaTilesStatus {
    const version = this.versionId();
    if (version === null || this.loaded?.versionId !== version) return { version, state: 'idle' };
    return { version, state: this.loaded.state };
  }

  /** What a viewer whose area is `areaCode` may receive: everything under it and the chain above it. */
  private scopeOf(parents: Map<string, string | null>, areaCode: string, level?: string): TileScope {
    const also: string[] = [];
    for (let p = parents.get(areaCode) ?? null; p !== null && also.length < 8; p = parents.get(p) ?? null) also.push(p);
    return { prefix: scopePrefix(areaCode), also, ...(level ? { level } : {}) };
  }

  /**
   * One tile of version `versionId` cut to the viewer's scope; null when it
   * holds nothing they may see; 'stale' when that version is no longer active.
   */
  async tile(
    versionId: number,
    z: number,
    x: number,
    y: number,
    areaCode: string,
    level?: string,
  ): Promise<Uint8Array | null | 'stale'> {
    const s = this.city.current();
    if (!s.version || s.version.id !== versionId) return 'stale';
    this.worker ??= new AreaTileWorker();
    const loaded = this.loaded?.versionId === versionId ? this.loaded : this.load(s);
    await loaded.ready;
    return this.worker.tile(z, x, y, this.scopeOf(loaded.parents, areaCode, level));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.worker?.close();
    this.worker = null;
  }
}
