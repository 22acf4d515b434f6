import { PILOT_COMMUNITIES } from '../demo-city-spec.js';
import type { Area } from '../types.js';
import { type Box, type Pt, pt, round6 } from './geometry.js';
import type { StreetFeature, StreetKind } from './types.js';

/** Made-up avenue names, south to north and west to east. */
const EAST_WEST = ['南环路', '汴河路', '淮海路', '胜利路', '拂晓大道', '北环路'];
const NORTH_SOUTH = ['西环路', '西昌路', '人民路', '环城路', '浍水路', '东环路'];

const feature = (name: string, kind: StreetKind, coordinates: Pt[]): StreetFeature => ({
  type: 'Feature',
  properties: { name, kind },
  geometry: { type: 'LineString', coordinates },
});

/** The lattice points of a community's grids: row r, column c (0…rows, 0…cols), read off the grid rings. */
function lattice(grids: readonly Area[], rows: number, cols: number): Pt[][] {
  const at = (r: number, c: number): Pt => {
    const cell = grids[Math.min(r, rows - 1) * cols + Math.min(c, cols - 1)]!.ring!;
    const corner = (r === rows ? 2 : 0) + (c === cols ? 1 : 0); // sw, se, nw, ne
    const p = [cell[0], cell[1], cell[3], cell[2]][corner]!;
    return [p[0], p[1]];
  };
  return Array.from({ length: rows + 1 }, (_, r) => Array.from({ length: cols + 1 }, (_, c) => at(r, c)));
}

/**
 * The street network: a lattice of avenues over the city's extent, each
 * community's internal lanes along its grid boundaries, and four short
 * connectors from each community's outline to the nearest avenue on each
 * side. Every junction is a shared vertex, so `buildWalkGraph` joins it;
 * a connector that passes over another lane shares no vertex there (a bridge).
 */
export function buildStreets(
  communities: readonly Area[],
  gridsOf: (code: string) => Area[],
  extent: Box,
): StreetFeature[] {
  const lats = EAST_WEST.map((_, k) => round6(extent.s + ((extent.n - extent.s) * k) / (EAST_WEST.length - 1)));
  const lngs = NORTH_SOUTH.map((_, k) => round6(extent.w + ((extent.e - extent.w) * k) / (NORTH_SOUTH.length - 1)));
  // Vertices each avenue must carry: every crossing, plus every connector's foot.
  const onEastWest = lats.map(() => new Set(lngs));
  const onNorthSouth = lngs.map(() => new Set(lats));
  const out: StreetFeature[] = [];
  const nearest = (values: number[], v: number, below: boolean) => {
    let best = below ? 0 : values.length - 1;
    values.forEach((w, i) => {
      if (below ? w < v && w > values[best]! : w > v && w < values[best]!) best = i;
    });
    return best;
  };
  for (const c of communities) {
    const spec = PILOT_COMMUNITIES.find((p) => p.code === c.code);
    if (!spec) continue;
    const [rows, cols] = spec.grid;
    const grid = lattice(gridsOf(c.code), rows, cols);
    const short = c.name.replace(/社区$/, '');
    for (let r = 0; r <= rows; r++) out.push(feature(`${short}${r + 1}号巷`, 'residential', grid[r]!));
    for (let k = 0; k <= cols; k++)
      out.push(
        feature(
          `${short}${k + 1}号路`,
          'residential',
          grid.map((row) => row[k]!),
        ),
      );
    const south = grid[0]![Math.floor(cols / 2)]!;
    const north = grid[rows]![Math.ceil(cols / 2)]!;
    const west = grid[Math.floor(rows / 2)]![0]!;
    const east = grid[Math.ceil(rows / 2)]![cols]!;
    for (const [p, below] of [
      [south, true],
      [north, false],
    ] as const) {
      const i = nearest(lats, p[1], below);
      onEastWest[i]!.add(p[0]);
      out.push(feature(`${short}连接路`, 'path', [p, [p[0], lats[i]!]]));
    }
    for (const [p, below] of [
      [west, true],
      [east, false],
    ] as const) {
      const i = nearest(lngs, p[0], below);
      onNorthSouth[i]!.add(p[1]);
      out.push(feature(`${short}连接路`, 'path', [p, [lngs[i]!, p[1]]]));
    }
  }
  const avenues: StreetFeature[] = [
    ...lats.map((y, i) =>
      feature(
        EAST_WEST[i]!,
        'primary',
        [...onEastWest[i]!].sort((a, b) => a - b).map((x) => pt(x, y)),
      ),
    ),
    ...lngs.map((x, i) =>
      feature(
        NORTH_SOUTH[i]!,
        'primary',
        [...onNorthSouth[i]!].sort((a, b) => a - b).map((y) => pt(x, y)),
      ),
    ),
  ];
  return [...avenues, ...out];
}
