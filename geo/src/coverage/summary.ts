import type { Ring } from '../types.js';
import { convexHull } from './hull.js';
import { type Home, SERVICE_TYPES, type ServiceType } from './types.js';

export interface TypeCoverage {
  /** Homes within the threshold, and their share of the grid's homes. */
  covered: number;
  share: number;
  /** The same for lone-elder homes; the share is null when the grid has none. */
  loneElderCovered: number;
  loneElderShare: number | null;
}

export interface GridCoverage {
  grid: string;
  homes: number;
  loneElders: number;
  byType: Record<ServiceType, TypeCoverage>;
}

/** The homes of one grid that no facility of one type serves within the threshold. */
export interface CoverageGap {
  grid: string;
  type: ServiceType;
  homes: string[];
  loneElders: number;
  /** Convex hull of those homes (null below three points or when they are collinear): a sketch, not a service area. */
  hull: Ring | null;
}

/**
 * Per grid (homes grouped by their grid code) and per type: how many homes,
 * and lone-elder homes, are within `thresholdMetres` of their walk; and the
 * homes that are not, as gaps. `metres[type][i]` is home i's distance.
 */
export function summarise(
  homes: readonly Home[],
  metres: ReadonlyMap<ServiceType, Float64Array>,
  thresholdMetres: number,
): { grids: GridCoverage[]; gaps: CoverageGap[] } {
  const byGrid = new Map<string, number[]>();
  homes.forEach((home, i) => {
    const list = byGrid.get(home.grid);
    if (list) list.push(i);
    else byGrid.set(home.grid, [i]);
  });
  const grids: GridCoverage[] = [];
  const gaps: CoverageGap[] = [];
  for (const grid of [...byGrid.keys()].sort()) {
    const members = byGrid.get(grid)!;
    const loneElders = members.filter((i) => homes[i]!.loneElder).length;
    const byType = {} as Record<ServiceType, TypeCoverage>;
    for (const type of SERVICE_TYPES) {
      const m = metres.get(type)!;
      const out = members.filter((i) => !(m[i]! <= thresholdMetres));
      const outLone = out.filter((i) => homes[i]!.loneElder).length;
      const loneElderCovered = loneElders - outLone;
      byType[type] = {
        covered: members.length - out.length,
        share: (members.length - out.length) / members.length,
        loneElderCovered,
        loneElderShare: loneElders > 0 ? loneElderCovered / loneElders : null,
      };
      if (out.length > 0)
        gaps.push({
          grid,
          type,
          homes: out.map((i) => homes[i]!.id),
          loneElders: outLone,
          hull: convexHull(out.map((i) => homes[i]!.position)),
        });
    }
    grids.push({ grid, homes: members.length, loneElders, byType });
  }
  return { grids, gaps };
}
