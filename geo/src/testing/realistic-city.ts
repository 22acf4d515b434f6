import { DEMO_CITY } from '../demo-city-spec.js';
import { seededRandom } from '../demo-city.js';
import { metresPerDegree } from '../index/synthetic-city.js';
import type { AreaLevel, Ring } from '../types.js';
import type { HierarchyArea } from '../validate/issues.js';
import { FACILITY_WORDS, uniqueName } from './city-names.js';

/** How each level splits into the next, as [columns, rows] of blocks. */
export interface CitySplit {
  districts: [number, number];
  streets: [number, number];
  communities: [number, number];
  grids: [number, number];
}

export interface RealisticCityOptions {
  seed?: number;
  /** Default: 5×2 districts, 3×5 streets each, 5×2 communities each, 2×5 grids each on average: 10/150/1,500/15,000. */
  split?: CitySplit;
  /** City code (6 digits ending in 00); districts are its first four digits + 01, 02, … */
  cityCode?: string;
  cityName?: string;
  /** Centre, WGS-84; defaults to the demo city's centre. */
  centre?: [number, number];
  /** Nominal grid size in metres. */
  cellMetres?: number;
  /** Facilities per grid on average (default 1.3, as FACILITIES_PER_GRID sums to). */
  facilitiesPerGrid?: number;
  /**
   * Cut every edge into this many, bulging gently (default 1: straight edges). 8 gives grids
   * of 33 vertices and district outlines of over a thousand, like surveyed boundaries.
   */
  densify?: number;
}

/** A point facility as a city lists it: `kind` is a word people use (养老服务站, 便利店…), not a code. */
export interface CityFacilityRecord {
  id: string;
  name: string;
  kind: string;
  position: [number, number];
}

export interface RoadFeature {
  type: 'Feature';
  properties: { name: string };
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}

export interface RealisticCity {
  disclaimer: string;
  /** Every level has a ring (WGS-84, counter-clockwise); every area above grid is marked full cover. */
  areas: HierarchyArea[];
  facilities: CityFacilityRecord[];
  /** Walking network: one LineString along every row and column of grid corners. */
  roads: { type: 'FeatureCollection'; features: RoadFeature[] };
}

export const REALISTIC_SPLIT: CitySplit = { districts: [5, 2], streets: [3, 5], communities: [5, 2], grids: [2, 5] };

const round = (v: number) => Math.round(v * 1e7) / 1e7;
const pad = (n: number) => String(n).padStart(3, '0');

/** n split into k random parts of at least `min` each, summing to n. */
function partition(n: number, k: number, min: number, rnd: () => number): number[] {
  const parts = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  for (let moves = 0; moves < 3 * k; moves++) {
    const i = Math.floor(rnd() * k);
    const j = Math.floor(rnd() * k);
    const d = Math.floor(rnd() * Math.max(1, parts[i]! / 4));
    if (i !== j && parts[i]! - d >= min) [parts[i], parts[j]] = [parts[i]! - d, parts[j]! + d];
  }
  return parts;
}

/** Start offsets of consecutive parts from `from`. */
const starts = (from: number, parts: number[]) =>
  parts.map((_, i) => from + parts.slice(0, i).reduce((s, p) => s + p, 0));

interface Block {
  c0: number;
  r0: number;
  c1: number;
  r1: number;
}

/**
 * A made-up city at real scale for import tests and benches: a lattice of grid corners,
 * jittered and gently warped so no edge is straight, cut into nested blocks of uneven
 * size (districts → streets → communities → grids). Every area's ring walks the very same
 * corners as its children's, so children tile their parent exactly and neighbours share
 * edges; names are two syllables (with rare characters) unique under their parent, codes
 * follow GB/T 2260 + 3 digits per level. Same options, same city.
 */
export function realisticCity(opts: RealisticCityOptions = {}): RealisticCity {
  const { seed = 18, split = REALISTIC_SPLIT, cityCode = '349900', cityName = '合成市', cellMetres = 250 } = opts;
  if (!/^\d{4}00$/.test(cityCode)) throw new Error(`cityCode must be 6 digits ending in 00, got ${cityCode}`);
  const centre = opts.centre ?? DEMO_CITY.centre;
  const rnd = seededRandom(seed);
  const mul = (i: 0 | 1) => split.districts[i] * split.streets[i] * split.communities[i] * split.grids[i];
  const cols = mul(0);
  const rows = mul(1);
  const [mx, my] = metresPerDegree(centre[1]);
  const [dx, dy] = [cellMetres / mx, cellMetres / my];
  const [x0, y0] = [centre[0] - (cols * dx) / 2, centre[1] - (rows * dy) / 2];
  const phase = rnd() * 6;
  const vx = new Float64Array((rows + 1) * (cols + 1));
  const vy = new Float64Array(vx.length);
  for (let r = 0; r <= rows; r++)
    for (let c = 0; c <= cols; c++) {
      const k = r * (cols + 1) + c;
      // Jitter below 0.25 of a cell keeps every quad convex; the warp bends long lines into curves.
      const wx = 0.3 * Math.sin(r / 7 + phase);
      const wy = 0.3 * Math.sin(c / 9 + phase);
      vx[k] = round(x0 + (c + wx + (rnd() * 2 - 1) * 0.18) * dx);
      vy[k] = round(y0 + (r + wy + (rnd() * 2 - 1) * 0.18) * dy);
    }
  const at = (r: number, c: number): [number, number] => [vx[r * (cols + 1) + c]!, vy[r * (cols + 1) + c]!];
  const densify = Math.max(1, Math.floor(opts.densify ?? 1));
  /**
   * Points strictly between corners p and q, bulging gently to one side. Computed from the
   * lesser corner to the greater and reversed as needed, so the two areas sharing an edge
   * get the very same points.
   */
  const between = (p: [number, number], q: [number, number]): [number, number][] => {
    if (densify === 1) return [];
    const flip = p[0] > q[0] || (p[0] === q[0] && p[1] > q[1]);
    const [a, b] = flip ? [q, p] : [p, q];
    const side = Math.sin(a[0] * 1e5 + a[1] * 3e5) > 0 ? 1 : -1;
    const pts: [number, number][] = [];
    for (let k = 1; k < densify; k++) {
      const t = k / densify;
      const bulge = side * 0.04 * Math.sin(Math.PI * t);
      pts.push([
        round(a[0] + t * (b[0] - a[0]) - bulge * (b[1] - a[1])),
        round(a[1] + t * (b[1] - a[1]) + bulge * (b[0] - a[0])),
      ]);
    }
    return flip ? pts.reverse() : pts;
  };
  /** The block's outline through every corner on it (and the points between), counter-clockwise, closed. */
  const ring = (b: Block): Ring => {
    const corners: [number, number][] = [];
    for (let c = b.c0; c < b.c1; c++) corners.push(at(b.r0, c));
    for (let r = b.r0; r < b.r1; r++) corners.push(at(r, b.c1));
    for (let c = b.c1; c > b.c0; c--) corners.push(at(b.r1, c));
    for (let r = b.r1; r > b.r0; r--) corners.push(at(r, b.c0));
    const out: Ring = [];
    corners.forEach((p, i) => out.push(p, ...between(p, corners[(i + 1) % corners.length]!)));
    out.push([out[0]![0], out[0]![1]]);
    return out;
  };
  const areas: HierarchyArea[] = [];
  const whole: Block = { c0: 0, r0: 0, c1: cols, r1: rows };
  areas.push({ code: cityCode, name: cityName, level: 'city', parent: null, ring: ring(whole), fullCover: true });
  const order: [AreaLevel, keyof CitySplit, string[]][] = [
    ['district', 'districts', ['区', '区', '县']],
    ['street', 'streets', ['街道', '街道', '镇', '乡']],
    ['community', 'communities', ['社区', '社区', '村']],
    ['grid', 'grids', ['网格']],
  ];
  const grids: HierarchyArea[] = [];
  const divide = (parent: HierarchyArea, b: Block, depth: number) => {
    const [level, key, suffixes] = order[depth]!;
    const below = order.slice(depth + 1).map(([, k]) => split[k]);
    const minCols = below.reduce((s, p) => s * p[0], 1);
    const minRows = below.reduce((s, p) => s * p[1], 1);
    const [nc, nr] = split[key];
    const widths = partition(b.c1 - b.c0, nc, minCols, rnd);
    const heights = partition(b.r1 - b.r0, nr, minRows, rnd);
    const cs = starts(b.c0, widths);
    const rs = starts(b.r0, heights);
    const taken = new Set<string>();
    let n = 0;
    for (let j = 0; j < nr; j++)
      for (let i = 0; i < nc; i++) {
        n++;
        const child: Block = { c0: cs[i]!, c1: cs[i]! + widths[i]!, r0: rs[j]!, r1: rs[j]! + heights[j]! };
        const code =
          level === 'district' ? `${cityCode.slice(0, 4)}${String(n).padStart(2, '0')}` : parent.code + pad(n);
        const name =
          level === 'grid'
            ? `${parent.name}第${n}网格`
            : uniqueName(rnd, suffixes[Math.floor(rnd() * suffixes.length)]!, taken);
        const area: HierarchyArea = { code, name, level, parent: parent.code, ring: ring(child) };
        if (level !== 'grid') area.fullCover = true;
        areas.push(area);
        if (level === 'grid') grids.push(area);
        else divide(area, child, depth + 1);
      }
  };
  divide(areas[0]!, whole, 0);

  const facilities: CityFacilityRecord[] = [];
  const perGrid = opts.facilitiesPerGrid ?? 1.3;
  const kinds = Object.values(FACILITY_WORDS).flat();
  const total = Math.round(perGrid * grids.length);
  for (let i = 0; i < total; i++) {
    const g = grids[Math.floor(rnd() * grids.length)]!;
    // Inside the grid: a random blend of its four corners (a convex quad holds every such blend).
    const w = [rnd(), rnd(), rnd(), rnd()].map((v) => v + 0.1);
    const sum = w.reduce((s, v) => s + v, 0);
    const corners = [0, 1, 2, 3].map((k) => g.ring![k * densify]!);
    const p = corners.reduce<[number, number]>(
      (acc, q, k) => [acc[0] + (q[0] * w[k]!) / sum, acc[1] + (q[1] * w[k]!) / sum],
      [0, 0],
    );
    const kind = kinds[Math.floor(rnd() * kinds.length)]!;
    facilities.push({
      id: `f${i + 1}`,
      name: `${g.name.replace(/第\d+网格$/, '')}${kind}`,
      kind,
      position: [round(p[0]), round(p[1])],
    });
  }
  const features: RoadFeature[] = [];
  const road = (name: string, coordinates: [number, number][]) =>
    features.push({ type: 'Feature', properties: { name }, geometry: { type: 'LineString', coordinates } });
  for (let r = 0; r <= rows; r++)
    road(
      `${r + 1}号路`,
      Array.from({ length: cols + 1 }, (_, c) => at(r, c)),
    );
  for (let c = 0; c <= cols; c++)
    road(
      `${c + 1}号街`,
      Array.from({ length: rows + 1 }, (_, r) => at(r, c)),
    );
  return {
    disclaimer: '合成数据：为导入测试生成的虚构城市，不代表任何真实区划。Synthetic city for import tests: made up.',
    areas,
    facilities,
    roads: { type: 'FeatureCollection', features },
  };
}
