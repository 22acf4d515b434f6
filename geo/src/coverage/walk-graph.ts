import { haversine, METRES_PER_DEGREE, PointIndex } from './geodesy.js';

/** A street centreline as GeoJSON gives it: positions are [lng, lat] (a third value is ignored). */
export type StreetGeometry =
  { type: 'LineString'; coordinates: number[][] } | { type: 'MultiLineString'; coordinates: number[][][] };

/** A GeoJSON FeatureCollection; features that are not (Multi)LineStrings are skipped. */
export interface StreetCollection {
  type: 'FeatureCollection';
  features: readonly { geometry: { type: string; coordinates?: unknown } | null }[];
}

/** An undirected street graph in compressed adjacency form (CSR): node k's edges are offsets[k] … offsets[k+1]-1. */
export interface WalkGraph {
  readonly nodeCount: number;
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Haversine length of each directed edge, metres. */
  readonly metres: Float64Array;
  /** Nearest-node queries over the nodes. */
  readonly nodes: PointIndex;
  /** Geometries that were not (Multi)LineStrings, and positions that were not two finite numbers. */
  readonly skipped: number;
}

export interface WalkGraphOptions {
  /** Vertices closer than this become one node (default 1 m). */
  snapMetres?: number;
}

function linesOf(streets: StreetCollection | readonly StreetGeometry[]): { lines: number[][][]; skipped: number } {
  const geometries = 'features' in streets ? streets.features.map((f) => f.geometry) : streets;
  const lines: number[][][] = [];
  let skipped = 0;
  for (const g of geometries) {
    const coordinates: unknown = g && 'coordinates' in g ? g.coordinates : null;
    if (!Array.isArray(coordinates)) skipped++;
    else if (g?.type === 'LineString') lines.push(coordinates as number[][]);
    else if (g?.type === 'MultiLineString') lines.push(...(coordinates as number[][][]).filter(Array.isArray));
    else skipped++;
  }
  return { lines, skipped };
}

/**
 * Builds the walking graph from street centrelines. Every vertex becomes a
 * node, and vertices within `snapMetres` of an earlier node join it (so lines
 * meeting at a shared endpoint, or crossing at a shared vertex, connect; lines
 * that merely cross without a vertex there do not, as at a bridge). Consecutive
 * vertices of a line are joined by an edge as long as the haversine distance
 * between them. A node keeps the position of the first vertex that made it.
 */
export function buildWalkGraph(
  streets: StreetCollection | readonly StreetGeometry[],
  opts: WalkGraphOptions = {},
): WalkGraph {
  const snap = opts.snapMetres ?? 1;
  const { lines, skipped: skippedGeometries } = linesOf(streets);
  let skipped = skippedGeometries;
  const lng: number[] = [];
  const lat: number[] = [];
  const cells = new Map<number, number[]>();
  let kx = 0;
  let ox = 0;
  let oy = 0;
  // Hash grid of `snap`-sized cells in a local projection anchored at the first vertex.
  const nodeAt = (x: number, y: number): number => {
    if (lng.length === 0) {
      kx = METRES_PER_DEGREE * Math.cos((y * Math.PI) / 180);
      [ox, oy] = [x, y];
    }
    const px = (x - ox) * kx;
    const py = (y - oy) * METRES_PER_DEGREE;
    const cx = Math.floor(px / snap);
    const cy = Math.floor(py / snap);
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        for (const k of cells.get((cx + i + 2 ** 25) * 2 ** 26 + (cy + j + 2 ** 25)) ?? []) {
          const dx = (lng[k]! - ox) * kx - px;
          const dy = (lat[k]! - oy) * METRES_PER_DEGREE - py;
          if (dx * dx + dy * dy <= snap * snap) return k;
        }
      }
    }
    const k = lng.length;
    lng.push(x);
    lat.push(y);
    const key = (cx + 2 ** 25) * 2 ** 26 + (cy + 2 ** 25);
    const list = cells.get(key);
    if (list) list.push(k);
    else cells.set(key, [k]);
    return k;
  };

  const from: number[] = [];
  const to: number[] = [];
  const len: number[] = [];
  for (const line of lines) {
    let prev = -1;
    let px = 0;
    let py = 0;
    for (const p of line) {
      const [x, y] = Array.isArray(p) ? p : [];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        skipped++;
        continue;
      }
      const k = nodeAt(x!, y!);
      if (prev >= 0 && k !== prev) {
        from.push(prev);
        to.push(k);
        len.push(haversine(px, py, x!, y!));
      }
      [prev, px, py] = [k, x!, y!];
    }
  }

  const n = lng.length;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) {
    offsets[from[e]! + 1]!++;
    offsets[to[e]! + 1]!++;
  }
  for (let k = 0; k < n; k++) offsets[k + 1]! += offsets[k]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(2 * from.length);
  const metres = new Float64Array(2 * from.length);
  for (let e = 0; e < from.length; e++) {
    const [a, b, m] = [from[e]!, to[e]!, len[e]!];
    targets[fill[a]!] = b;
    metres[fill[a]!++] = m;
    targets[fill[b]!] = a;
    metres[fill[b]!++] = m;
  }
  const positions = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) [positions[2 * k], positions[2 * k + 1]] = [lng[k]!, lat[k]!];
  return {
    nodeCount: n,
    lng: Float64Array.from(lng),
    lat: Float64Array.from(lat),
    offsets,
    targets,
    metres,
    nodes: new PointIndex(positions),
    skipped,
  };
}
