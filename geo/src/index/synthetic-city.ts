import { DEMO_CITY } from '../demo-city-spec.js';
import { seededRandom } from '../demo-city.js';
import type { Area, AreaTree, Ring } from '../types.js';

export interface SyntheticCityOptions {
  /** How many grids to make. */
  grids: number;
  seed?: number;
  /** Centre of the lattice, WGS-84; defaults to the demo city's centre. */
  centre?: [number, number];
  /** Nominal grid width and height in metres (the demo's grids are about 280 m × 220 m). */
  cellMetres?: number;
  /** Largest corner shift as a share of the cell, each axis; below 0.25 every cell stays convex. */
  jitter?: number;
  /** Grids per community (codes allow at most 999). */
  gridsPerCommunity?: number;
}

/** Metres per degree of latitude, and of longitude at `lat` (spherical approximation, fine to a few per mille). */
export function metresPerDegree(lat: number): [number, number] {
  return [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const pad = (n: number) => String(n).padStart(3, '0');

/**
 * A made-up city of N grids for load tests: a lattice of ⌈√N⌉ columns whose
 * corners are jittered, cut into quads row by row (the last row may be short).
 * Neighbouring grids share the very same corner values, so there are no gaps
 * or overlaps. Same options, same city. Communities and streets have no ring
 * (they are drawn from their grids).
 */
export function syntheticCity(opts: SyntheticCityOptions): AreaTree {
  const { grids: n, seed = 1, centre = DEMO_CITY.centre, cellMetres = 250, jitter = 0.2 } = opts;
  const perCommunity = opts.gridsPerCommunity ?? 100;
  if (!Number.isInteger(n) || n < 1) throw new Error(`grids must be a positive integer, got ${n}`);
  if (perCommunity < 1 || perCommunity > 999) throw new Error('gridsPerCommunity must be 1–999');
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const [mx, my] = metresPerDegree(centre[1]);
  const dx = cellMetres / mx;
  const dy = cellMetres / my;
  const x0 = centre[0] - (cols * dx) / 2;
  const y0 = centre[1] - (rows * dy) / 2;
  const rnd = seededRandom(seed);
  const shift = () => (rnd() * 2 - 1) * jitter;
  // One vertex per lattice point, shared by the (up to) four cells around it.
  const vx = new Float64Array((rows + 1) * (cols + 1));
  const vy = new Float64Array(vx.length);
  for (let r = 0; r <= rows; r++) {
    for (let c = 0; c <= cols; c++) {
      const k = r * (cols + 1) + c;
      vx[k] = round(x0 + (c + shift()) * dx);
      vy[k] = round(y0 + (r + shift()) * dy);
    }
  }
  const at = (r: number, c: number): [number, number] => {
    const k = r * (cols + 1) + c;
    return [vx[k]!, vy[k]!];
  };

  const county = DEMO_CITY.district.code;
  const areas: Area[] = [
    { code: DEMO_CITY.city.code, name: '合成市', level: 'city', parent: null, ring: null },
    { code: county, name: '合成区', level: 'district', parent: DEMO_CITY.city.code, ring: null },
  ];
  const communities = Math.ceil(n / perCommunity);
  if (Math.ceil(communities / 999) > 999) throw new Error(`too many grids for the code pattern: ${n}`);
  for (let i = 0; i < n; i++) {
    const ci = Math.floor(i / perCommunity);
    const streetCode = `${county}${pad(Math.floor(ci / 999) + 1)}`;
    const communityCode = `${streetCode}${pad((ci % 999) + 1)}`;
    if (i % perCommunity === 0) {
      if (ci % 999 === 0)
        areas.push({ code: streetCode, name: `合成街道${streetCode}`, level: 'street', parent: county, ring: null });
      areas.push({
        code: communityCode,
        name: `合成社区${communityCode}`,
        level: 'community',
        parent: streetCode,
        ring: null,
      });
    }
    const r = Math.floor(i / cols);
    const c = i % cols;
    const sw = at(r, c);
    const ring: Ring = [sw, at(r, c + 1), at(r + 1, c + 1), at(r + 1, c), [sw[0], sw[1]]];
    const g = (i % perCommunity) + 1;
    areas.push({
      code: `${communityCode}${pad(g)}`,
      name: `合成社区${communityCode}第${g}网格`,
      level: 'grid',
      parent: communityCode,
      ring,
    });
  }
  return {
    disclaimer: '合成数据：为压力测试生成的虚构网格，不代表任何真实区划。Synthetic data for load tests: made up.',
    seed,
    areas,
  };
}
