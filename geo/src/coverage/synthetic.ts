import { seededRandom } from '../demo-city.js';
import { pointInRing, ringBounds } from '../polygon.js';
import type { Area } from '../types.js';
import { METRES_PER_DEGREE } from './geodesy.js';
import { type Facility, type Home, SERVICE_TYPES, type ServiceType } from './types.js';
import type { StreetCollection } from './walk-graph.js';

/** Made-up facilities per grid, by type, for demos and benches (roughly one clinic per five grids). */
export const FACILITIES_PER_GRID: Record<ServiceType, number> = {
  'elderly-care': 0.15,
  clinic: 0.2,
  canteen: 0.15,
  convenience: 0.6,
  park: 0.2,
};

/** The joint bounding box of the grids, grown by `marginMetres` on every side. */
export function gridsBounds(grids: readonly Area[], marginMetres = 0): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) {
    const [a, b, c, d] = ringBounds(g.ring!);
    [x0, y0, x1, y1] = [Math.min(x0, a), Math.min(y0, b), Math.max(x1, c), Math.max(y1, d)];
  }
  const my = marginMetres / METRES_PER_DEGREE;
  const mx = my / Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  return [x0 - mx, y0 - my, x1 + mx, y1 + my];
}

/** A random point inside the grid's ring (rejection sampling in its bounding box). */
function pointInGrid(grid: Area, rnd: () => number): [number, number] {
  const [x0, y0, x1, y1] = ringBounds(grid.ring!);
  for (;;) {
    const p: [number, number] = [x0 + rnd() * (x1 - x0), y0 + rnd() * (y1 - y0)];
    if (pointInRing(p[0], p[1], grid.ring!)) return p;
  }
}

/**
 * A street grid as GeoJSON LineStrings: a lattice of `spacingMetres` over the
 * box with every crossing jittered by up to `jitter` of the spacing. Each row
 * and column is one LineString through the crossings, which are shared
 * exactly, so the graph connects there. Same seed, same streets.
 */
export function latticeStreets(
  bbox: [number, number, number, number],
  spacingMetres: number,
  seed = 1,
  jitter = 0.15,
): StreetCollection & { features: { type: 'Feature'; geometry: { type: 'LineString'; coordinates: number[][] } }[] } {
  const [x0, y0, x1, y1] = bbox;
  const dy = spacingMetres / METRES_PER_DEGREE;
  const dx = dy / Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const cols = Math.max(1, Math.ceil((x1 - x0) / dx));
  const rows = Math.max(1, Math.ceil((y1 - y0) / dy));
  const rnd = seededRandom(seed);
  const at: number[][][] = [];
  for (let r = 0; r <= rows; r++) {
    const row: number[][] = [];
    for (let c = 0; c <= cols; c++)
      row.push([x0 + (c + (rnd() * 2 - 1) * jitter) * dx, y0 + (r + (rnd() * 2 - 1) * jitter) * dy]);
    at.push(row);
  }
  const line = (coordinates: number[][]) => ({
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates },
  });
  return {
    type: 'FeatureCollection',
    features: [...at.map((row) => line(row)), ...at[0]!.map((_, c) => line(at.map((row) => row[c]!)))],
  };
}

/** Facilities inside random grids, `perGrid[type]` × grids of each type (rounded, at least one). */
export function syntheticFacilities(
  grids: readonly Area[],
  seed = 1,
  perGrid: Record<ServiceType, number> = FACILITIES_PER_GRID,
): Facility[] {
  const rnd = seededRandom(seed);
  const out: Facility[] = [];
  for (const type of SERVICE_TYPES) {
    const n = Math.max(1, Math.round(perGrid[type] * grids.length));
    for (let i = 0; i < n; i++) {
      const grid = grids[Math.floor(rnd() * grids.length)]!;
      out.push({ id: `${type}-${i + 1}`, type, position: pointInGrid(grid, rnd) });
    }
  }
  return out;
}

/** `count` homes spread evenly over the grids, each at a random spot inside its grid; `loneElderShare` of them lone elders. */
export function syntheticHomes(grids: readonly Area[], count: number, seed = 1, loneElderShare = 0.12): Home[] {
  const rnd = seededRandom(seed);
  const out: Home[] = [];
  for (let i = 0; i < count; i++) {
    const grid = grids[i % grids.length]!;
    out.push({
      id: `home-${i + 1}`,
      position: pointInGrid(grid, rnd),
      grid: grid.code,
      loneElder: rnd() < loneElderShare,
    });
  }
  return out;
}
