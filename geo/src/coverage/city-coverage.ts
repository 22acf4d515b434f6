import { pointInRing, ringBounds, ringCentroid } from '../polygon.js';
import type { Area } from '../types.js';
import { CoverageCalculator, type CoverageOptions, type CoverageResult, facilitiesKey } from './coverage.js';
import { type Facility, type Home, SERVICE_TYPES, type ServiceType } from './types.js';
import { buildWalkGraph, type StreetCollection } from './walk-graph.js';

/** A facility as `toFacilities` gives it (kind) or as coverage takes it (type). */
type AnyFacility = Facility | { id: string; kind: string; position: [number, number] };

export interface CityCoverageOptions extends Pick<CoverageOptions, 'minutes'> {
  /** Real homes, each with its grid code; without them, homes are sampled (see `sampleHomes`). */
  homes?: readonly Home[];
  /** Sampled homes per grid, about (default 16). */
  samplesPerGrid?: number;
  /** `graph` (0 then 1 of 1), `homes` and `coverage` (grids done of all). */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface CityCoverageResult extends CoverageResult {
  /** Whether the homes were sampled rather than given. */
  sampled: boolean;
  homes: number;
  /** Facilities whose kind is not a service type, so not counted. */
  uncounted: number;
}

/**
 * Stand-in homes where a city has no household points: about `perGrid` points on an even
 * lattice over each grid (the centres of k×k cells of its bounding box, k chosen so that
 * about `perGrid` fall inside the ring), and the centroid for a grid too thin to hold any.
 * Homes spread evenly over the grid's area, so a grid's coverage then reads as the share of
 * its area within the walk, not of its households. Deterministic: no randomness.
 */
export function sampleHomes(grids: readonly Area[], perGrid = 16): Home[] {
  const homes: Home[] = [];
  for (const g of grids) {
    const ring = g.ring!;
    const [x0, y0, x1, y1] = ringBounds(ring);
    let area = 0;
    for (let i = 0; i + 1 < ring.length; i++) area += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    const fill = Math.abs(area / 2) / Math.max((x1 - x0) * (y1 - y0), Number.MIN_VALUE);
    const k = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(perGrid / Math.max(fill, 1e-3)))));
    const before = homes.length;
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        const p: [number, number] = [x0 + ((c + 0.5) * (x1 - x0)) / k, y0 + ((r + 0.5) * (y1 - y0)) / k];
        if (pointInRing(p[0], p[1], ring))
          homes.push({ id: `${g.code}#${homes.length - before + 1}`, position: p, grid: g.code, loneElder: false });
      }
    if (homes.length === before)
      homes.push({ id: `${g.code}#1`, position: ringCentroid(ring), grid: g.code, loneElder: false });
  }
  return homes;
}

const GRIDS_PER_BATCH = 500;

/**
 * 15-minute coverage of an imported city: builds the walking graph from its roads (none:
 * straight line × detour factor), takes the facilities whose kind is a service type, and
 * computes coverage for the city's grids with the given homes (those of other grids are left
 * out) or sampled ones, in batches of
 * grids so progress can be shown. Batches share one CoverageCalculator, so each facility
 * type's reach over the graph is computed once.
 */
export function cityCoverage(
  areas: readonly Area[],
  facilities: readonly AnyFacility[],
  roads: StreetCollection | null,
  options: CityCoverageOptions = {},
): CityCoverageResult {
  const progress = options.onProgress ?? (() => {});
  progress('graph', 0, 1);
  const graph = roads ? buildWalkGraph(roads) : null;
  progress('graph', 1, 1);
  const counted: Facility[] = [];
  for (const f of facilities) {
    const type = 'type' in f ? f.type : f.kind;
    if ((SERVICE_TYPES as readonly string[]).includes(type))
      counted.push({ id: f.id, type: type as ServiceType, position: f.position });
  }
  const grids = areas.filter((a) => a.level === 'grid' && a.ring).sort((a, b) => (a.code < b.code ? -1 : 1));
  const sampled = !options.homes;
  const homesByGrid = new Map<string, Home[]>();
  const homes = options.homes ?? [];
  const file = (h: Home) => {
    const list = homesByGrid.get(h.grid);
    if (list) list.push(h);
    else homesByGrid.set(h.grid, [h]);
  };
  if (sampled)
    for (let i = 0; i < grids.length; i += GRIDS_PER_BATCH) {
      progress('homes', i, grids.length);
      sampleHomes(grids.slice(i, i + GRIDS_PER_BATCH), options.samplesPerGrid).forEach(file);
    }
  else homes.forEach(file);
  progress('homes', grids.length, grids.length);
  const calc = new CoverageCalculator(graph, {
    cacheSize: 1,
    ...(options.minutes ? { minutes: options.minutes } : {}),
  });
  const result: CityCoverageResult = {
    method: graph && graph.nodeCount > 0 ? 'walk' : 'straight-line',
    minutes: calc.minutes,
    thresholdMetres: calc.thresholdMetres,
    facilitiesKey: facilitiesKey(counted),
    grids: [],
    gaps: [],
    sampled,
    homes: 0,
    uncounted: facilities.length - counted.length,
  };
  for (let i = 0; i < grids.length; i += GRIDS_PER_BATCH) {
    progress('coverage', i, grids.length);
    const batch = grids.slice(i, i + GRIDS_PER_BATCH).flatMap((g) => homesByGrid.get(g.code) ?? []);
    if (batch.length === 0) continue;
    const r = calc.compute(counted, batch);
    result.grids.push(...r.grids);
    result.gaps.push(...r.gaps);
    result.homes += batch.length;
  }
  progress('coverage', grids.length, grids.length);
  return result;
}
