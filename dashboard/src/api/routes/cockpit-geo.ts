import { type Area, ringCentroid, seededRandom, SERVICE_TYPES } from '@linli/geo';
import type { CitySnapshot } from '../../city/active-city.js';
import { areaExtents, visibleBox } from '../area-extents.js';

export interface GridCoverageRow {
  grid: string;
  homes: number;
  /** Mean share of homes within a 15-minute walk over the service types, 0..1. */
  share: number;
  /** Service types some homes of this grid cannot reach in 15 minutes. */
  gaps: string[];
}

export interface PatrolTrack {
  grid: string;
  /** A pseudonymous label, not a person: `网格员 A-1`. */
  worker: string;
  path: [number, number][];
  /** Seconds since the start of the day, one per path vertex. */
  timestamps: number[];
}

const inside = (prefix: string, code: string) => code.startsWith(prefix);

/**
 * The active city's geography for the cockpit: drill-down names, the
 * 15-minute coverage computed in the background after activation
 * (city/active-city.ts), and the synthetic patrol layer. Each call reads the
 * city once, so an activation never mixes two versions in one answer.
 */
export class CockpitGeo {
  constructor(private readonly city: () => CitySnapshot) {}

  private areas(): Area[] {
    return this.city().tree.areas;
  }

  /** Which city is shown: its version, whether it is the demo (the footer's 示意数据), and coverage progress. */
  cityInfo() {
    const v = this.city().version;
    return v ? { version: v.id, name: v.name, demo: v.demo } : null;
  }

  /**
   * Names and parents of the areas in scope and the chain above (ring-less levels included, for the breadcrumb),
   * with bounds and label anchors in place of polygons (the cockpit's first render: docs/hub.md "Area tiles").
   */
  areaTree(prefix: string, areaCode: string) {
    const tree = this.city().tree;
    const extents = areaExtents(tree);
    return tree.areas
      .filter((a) => inside(prefix, a.code) || areaCode.startsWith(a.level === 'city' ? a.code.slice(0, 4) : a.code))
      .map(({ code, name, level, parent }) => {
        const e = extents.get(code);
        const bbox = visibleBox(e, inside(prefix, code));
        return { code, name, level, parent, bbox, ...(e?.anchor ? { anchor: e.anchor } : {}) };
      });
  }

  coverage(prefix: string) {
    const city = this.city();
    const result = city.coverage;
    if (!result) return { minutes: 15, method: null, ready: false, grids: [], facilities: [] };
    const gapsByGrid = new Map<string, string[]>();
    for (const g of result.gaps) {
      if (!inside(prefix, g.grid)) continue;
      gapsByGrid.set(g.grid, [...(gapsByGrid.get(g.grid) ?? []), g.type]);
    }
    const grids: GridCoverageRow[] = result.grids
      .filter((g) => inside(prefix, g.grid))
      .map((g) => ({
        grid: g.grid,
        homes: g.homes,
        share: SERVICE_TYPES.reduce((s, t) => s + g.byType[t].share, 0) / SERVICE_TYPES.length,
        gaps: gapsByGrid.get(g.grid) ?? [],
      }));
    const codes = new Set(grids.map((g) => g.grid));
    const ringOf = new Map(city.tree.areas.map((a) => [a.code, a.ring]));
    // Facilities are public places; parks may sit outside every grid, so they follow the nearest grid in scope.
    const facilities = city.content.facilities
      .filter((f) => f.type !== null && [...codes].some((c) => near(ringOf.get(c) ?? null, f.position)))
      .map((f) => ({ id: f.id, type: f.type!, name: f.name, position: f.position }));
    return { minutes: result.minutes, method: result.method, ready: true, grids, facilities };
  }

  /**
   * One synthetic grid worker per grid, walking its grid's boundary and back through the centre, 08:00–17:00.
   * For the demo city only: an imported city has real workers, and no made-up track may pass for theirs.
   */
  patrols(prefix: string, at: number) {
    const day = new Date(at);
    day.setHours(0, 0, 0, 0);
    const tracks: PatrolTrack[] = [];
    if (!this.city().version?.demo) return { day: day.getTime(), tracks };
    for (const g of this.areas()) {
      if (g.level !== 'grid' || !g.ring || !inside(prefix, g.code)) continue;
      const rnd = seededRandom(Number(g.code.slice(-6)) + day.getDate());
      const c = ringCentroid(g.ring);
      const ring = g.ring.slice(0, -1).map(([x, y]) => [c[0] + (x - c[0]) * 0.8, c[1] + (y - c[1]) * 0.8] as const);
      const path: [number, number][] = [];
      const timestamps: number[] = [];
      let t = 8 * 3600 + Math.floor(rnd() * 1800);
      while (t < 17 * 3600) {
        for (const p of [...ring, c, ring[0]!]) {
          path.push([round6(p[0] + (rnd() - 0.5) * 0.0004), round6(p[1] + (rnd() - 0.5) * 0.0004)]);
          timestamps.push(t);
          t += 300 + Math.floor(rnd() * 600);
        }
        t += 1800;
      }
      tracks.push({
        grid: g.code,
        worker: `网格员 ${g.code.slice(-6, -3)}-${Number(g.code.slice(-3))}`,
        path,
        timestamps,
      });
    }
    return { day: day.getTime(), tracks };
  }
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Within the ring's bounding box grown by ~500 m. */
function near(ring: readonly (readonly [number, number])[] | null, [x, y]: [number, number]): boolean {
  if (!ring) return false;
  const pad = 0.005;
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  for (const [px, py] of ring) {
    w = Math.min(w, px);
    e = Math.max(e, px);
    s = Math.min(s, py);
    n = Math.max(n, py);
  }
  return x >= w - pad && x <= e + pad && y >= s - pad && y <= n + pad;
}
