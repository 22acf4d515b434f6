import { PointIndex } from './geodesy.js';
import {
  nodeDistances,
  type Snapped,
  snapToGraph,
  straightLineMetres,
  walkableMetres,
  walkingMetres,
} from './isochrone.js';
import { type CoverageGap, type GridCoverage, summarise } from './summary.js';
import { type Facility, type Home, SERVICE_TYPES, type ServiceType } from './types.js';
import type { WalkGraph } from './walk-graph.js';

export type { CoverageGap, GridCoverage, TypeCoverage } from './summary.js';

export interface CoverageResult {
  /** 'walk' along the street graph, or 'straight-line' × DETOUR_FACTOR when there is no graph. */
  method: 'walk' | 'straight-line';
  minutes: number;
  thresholdMetres: number;
  facilitiesKey: string;
  /** Grids that have homes, by code. */
  grids: GridCoverage[];
  /** By grid code, then in SERVICE_TYPES order. */
  gaps: CoverageGap[];
}

export interface CoverageOptions {
  /** Walking time that counts as served (default 15: the 15-minute life circle, ≈ 1,080 m). */
  minutes?: number;
  /** How many facility lists to keep results for (default 8). */
  cacheSize?: number;
}

/**
 * A 53-bit hash (cyrb53) of the facilities as a set of (type, position):
 * order and ids do not matter, since neither changes any distance.
 */
export function facilitiesKey(facilities: readonly Facility[]): string {
  const text = facilities
    .map((f) => `${f.type} ${f.position[0]} ${f.position[1]}`)
    .sort()
    .join('\n');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

function positionsOf(items: readonly { position: [number, number] }[]): Float64Array {
  const out = new Float64Array(2 * items.length);
  items.forEach((it, i) => ([out[2 * i], out[2 * i + 1]] = it.position));
  return out;
}

interface Entry {
  /** Per type: node distances (with a graph) or a nearest-facility index (without). */
  reach: Map<ServiceType, Float64Array | PointIndex>;
  homes: readonly Home[] | null;
  result: CoverageResult | null;
}

/**
 * Share of homes within a walk of each service type, per grid, and the gaps.
 * Pure (no I/O). Keeps the per-type reach of the last few facility lists,
 * keyed by `facilitiesKey`: with the same facilities, new homes reuse it, and
 * the same homes array (compared by identity: pass a new array when homes
 * change) gets the very same result object back.
 */
export class CoverageCalculator {
  readonly stats = { hits: 0, reused: 0, misses: 0 };
  readonly minutes: number;
  readonly thresholdMetres: number;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, Entry>();
  private readonly snaps = new WeakMap<readonly Home[], { positions: Float64Array; snapped: Snapped | null }>();
  private readonly graph: WalkGraph | null;

  constructor(graph: WalkGraph | null, opts: CoverageOptions = {}) {
    this.graph = graph !== null && graph.nodeCount > 0 ? graph : null;
    this.minutes = opts.minutes ?? 15;
    this.thresholdMetres = walkableMetres(this.minutes);
    this.cacheSize = Math.max(1, opts.cacheSize ?? 8);
  }

  compute(facilities: readonly Facility[], homes: readonly Home[]): CoverageResult {
    const key = facilitiesKey(facilities);
    let entry = this.cache.get(key);
    if (entry) {
      this.cache.delete(key); // re-inserted below: most recently used last
      if (entry.homes === homes && entry.result) {
        this.stats.hits++;
        this.cache.set(key, entry);
        return entry.result;
      }
      this.stats.reused++;
    } else {
      this.stats.misses++;
      entry = { reach: this.reachOf(facilities), homes: null, result: null };
    }
    this.cache.set(key, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);

    let h = this.snaps.get(homes);
    if (!h) {
      const positions = positionsOf(homes);
      h = { positions, snapped: this.graph ? snapToGraph(this.graph, positions) : null };
      this.snaps.set(homes, h);
    }
    const metres = new Map<ServiceType, Float64Array>();
    for (const [type, reach] of entry.reach) {
      metres.set(
        type,
        reach instanceof PointIndex
          ? straightLineMetres(reach, h.positions, this.thresholdMetres)
          : walkingMetres(reach, h.snapped!, this.thresholdMetres),
      );
    }
    entry.homes = homes;
    entry.result = {
      method: this.graph ? 'walk' : 'straight-line',
      minutes: this.minutes,
      thresholdMetres: this.thresholdMetres,
      facilitiesKey: key,
      ...summarise(homes, metres, this.thresholdMetres),
    };
    return entry.result;
  }

  private reachOf(facilities: readonly Facility[]): Entry['reach'] {
    const reach: Entry['reach'] = new Map();
    for (const type of SERVICE_TYPES) {
      const positions = positionsOf(facilities.filter((f) => f.type === type));
      reach.set(
        type,
        this.graph
          ? nodeDistances(this.graph, snapToGraph(this.graph, positions), this.thresholdMetres)
          : new PointIndex(positions),
      );
    }
    return reach;
  }
}

/** One computation without keeping a cache. */
export function computeCoverage(
  facilities: readonly Facility[],
  homes: readonly Home[],
  graph: WalkGraph | null,
  opts: CoverageOptions = {},
): CoverageResult {
  return new CoverageCalculator(graph, { ...opts, cacheSize: 1 }).compute(facilities, homes);
}
