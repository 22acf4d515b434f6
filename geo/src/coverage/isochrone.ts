import { PointIndex } from './geodesy.js';
import { MinHeap } from './min-heap.js';
import type { WalkGraph } from './walk-graph.js';

/** Walking speed assumed for older residents, m/s. */
export const WALK_SPEED_MPS = 1.2;
/**
 * Straight line to walked distance when there is no street graph: 1.3 is a
 * common urban detour (route-to-crow-flies) factor for dense street grids.
 */
export const DETOUR_FACTOR = 1.3;
/** Metres walkable in `minutes` at WALK_SPEED_MPS: 15 min ≈ 1,080 m. */
export const walkableMetres = (minutes: number): number => minutes * 60 * WALK_SPEED_MPS;
export const walkMinutes = (metres: number): number => metres / WALK_SPEED_MPS / 60;

/** Points ([lng0, lat0, …]) snapped to their nearest graph node, with the straight-line snap distance. */
export interface Snapped {
  node: Int32Array;
  metres: Float64Array;
}

export function snapToGraph(graph: WalkGraph, positions: Float64Array): Snapped {
  const n = positions.length / 2;
  const node = new Int32Array(n);
  const metres = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    node[i] = graph.nodes.nearest(positions[2 * i]!, positions[2 * i + 1]!);
    metres[i] = graph.nodes.lastMetres;
  }
  return { node, metres };
}

/**
 * Multi-source Dijkstra: the walking distance in metres from the nearest
 * source to every node, each source starting at its snapped node with its
 * snap distance already walked. Nodes farther than `maxMetres` (or not
 * reachable) get Infinity; stopping there keeps a 15-minute question cheap.
 */
export function nodeDistances(graph: WalkGraph, sources: Snapped, maxMetres = Infinity): Float64Array {
  const dist = new Float64Array(graph.nodeCount).fill(Infinity);
  const heap = new MinHeap(Math.max(16, sources.node.length));
  for (let s = 0; s < sources.node.length; s++) {
    const k = sources.node[s]!;
    const d = sources.metres[s]!;
    if (k >= 0 && d <= maxMetres && d < dist[k]!) {
      dist[k] = d;
      heap.push(d, k);
    }
  }
  const { offsets, targets, metres } = graph;
  while (heap.length > 0) {
    const d = heap.peekKey();
    const k = heap.pop();
    if (d > dist[k]!) continue; // a stale entry: k was reached more cheaply since
    for (let e = offsets[k]!; e < offsets[k + 1]!; e++) {
      const next = d + metres[e]!;
      const t = targets[e]!;
      if (next < dist[t]! && next <= maxMetres) {
        dist[t] = next;
        heap.push(next, t);
      }
    }
  }
  return dist;
}

/**
 * Walking metres from each home to its nearest source: the distance of the
 * home's nearest node plus the home's snap distance (Infinity past `maxMetres`).
 */
export function walkingMetres(dist: Float64Array, homes: Snapped, maxMetres = Infinity): Float64Array {
  const out = new Float64Array(homes.node.length);
  for (let i = 0; i < out.length; i++) {
    const k = homes.node[i]!;
    const m = k < 0 ? Infinity : dist[k]! + homes.metres[i]!;
    out[i] = m <= maxMetres ? m : Infinity;
  }
  return out;
}

/**
 * The fallback without a street graph: haversine metres to the nearest source
 * × DETOUR_FACTOR (Infinity past `maxMetres`, or with no sources).
 */
export function straightLineMetres(sources: PointIndex, homes: Float64Array, maxMetres = Infinity): Float64Array {
  const out = new Float64Array(homes.length / 2);
  for (let i = 0; i < out.length; i++) {
    const s = sources.nearest(homes[2 * i]!, homes[2 * i + 1]!, maxMetres / DETOUR_FACTOR);
    out[i] = s < 0 ? Infinity : sources.lastMetres * DETOUR_FACTOR;
  }
  return out;
}

/** Walking metres from every home to the nearest source, by graph if there is one, else by the fallback. */
export function distancesToNearest(
  graph: WalkGraph | null,
  sources: Float64Array,
  homes: Float64Array,
  maxMetres = Infinity,
): Float64Array {
  if (graph === null || graph.nodeCount === 0) return straightLineMetres(new PointIndex(sources), homes, maxMetres);
  const dist = nodeDistances(graph, snapToGraph(graph, sources), maxMetres);
  return walkingMetres(dist, snapToGraph(graph, homes), maxMetres);
}
