// Where benchmark events happen: at points inside the demo city's real grid
// polygons (the file the hub loads), never at one shared spot. An event stream
// whose positions all coincide folds into one heat cell and measures nothing
// about a city (issue 20): each point is drawn uniformly from the grid's
// bounding box until it falls inside the grid's ring.
import { loadDemoCity, pointInRing, ringBounds } from '../../geo/dist/index.js';

let grids = null;

/** Demo-city grids by code: ring and bounding box. */
export function demoGridShapes() {
  if (!grids)
    grids = new Map(
      loadDemoCity()
        .areas.filter((a) => a.level === 'grid' && a.ring)
        .map((a) => [a.code, { code: a.code, ring: a.ring, box: ringBounds(a.ring) }]),
    );
  return grids;
}

/** A point inside grid `code`'s polygon, rounded to 1e-6° (what a gateway's config holds), from `random()` in [0, 1). */
export function pointInGrid(code, random = Math.random) {
  const g = demoGridShapes().get(code);
  if (!g) throw new Error(`${code} is not a grid of the demo city`);
  const [x0, y0, x1, y1] = g.box;
  for (let tries = 0; tries < 1000; tries++) {
    const lng = Math.round((x0 + (x1 - x0) * random()) * 1e6) / 1e6;
    const lat = Math.round((y0 + (y1 - y0) * random()) * 1e6) / 1e6;
    if (pointInRing(lng, lat, g.ring)) return { lng, lat, gridId: code };
  }
  throw new Error(`${code}: no point inside its ring in 1000 tries (a degenerate polygon?)`);
}

/** The ~110 m heat cell a position falls in, as the hub's /api/heatmap keys it (3 decimals). */
export const heatCellOf = (lng, lat) => `${lng.toFixed(3)},${lat.toFixed(3)}`;
