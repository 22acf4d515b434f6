import { MVTLayer } from '@deck.gl/geo-layers';
import { PathLayer } from '@deck.gl/layers';
import { MVTLoader } from '@loaders.gl/mvt';
import type { Api } from '../api.js';
import { checkinShareColour } from './checkin-steps.js';
import { ramp } from './cockpit-layers.js';

/** Where the active city's area tiles are (GET /api/area-tiles.json, cut to the viewer's area by the hub). */
export interface GridTileSource {
  version: number;
  /** Grid level only, for the choropleth. */
  urls: string[];
  /** Every level, for MapLibre's community fills and borders (map/area-layers.ts). */
  areaUrls: string[];
  /** The tiles' layer holding the areas (TileJSON vector_layers). */
  layer: string;
  maxZoom: number;
  key: string;
}

/** The area tiles' address, or null when the hub serves none (no active city: no areas to draw). */
export async function fetchGridTiles(api: Api, key: string, origin: string): Promise<GridTileSource | null> {
  try {
    const tj = await api.get('/api/area-tiles.json');
    // Joined as text: new URL() would percent-encode the {z}/{x}/{y} placeholders. Absolute: MapLibre fetches
    // tiles in a worker, where a path would not resolve against the page.
    const areaUrls = tj.tiles.map((u) => `${origin}${u}`);
    return {
      version: tj.version,
      // Grid level only: the choropleth needs nothing else, and smaller tiles decode faster.
      urls: areaUrls.map((u) => `${u}?level=grid`),
      areaUrls,
      layer: tj.vector_layers[0]?.id ?? 'areas',
      maxZoom: tj.maxzoom,
      key,
    };
  } catch (err) {
    console.warn('area tiles unavailable; no grids drawn', err);
    return null;
  }
}

/**
 * How the grids are coloured: `measure`, the chosen measure on the ramp; `checkins`, today's check-in
 * coverage in its four steps (checkin-steps.ts) while the patrol layer is on.
 */
export type GridColouring = 'measure' | 'checkins';

/** What colours the tiles: per-grid values on the 0..1 scale, keyed by code, and a revision that changes with them. */
export interface GridPaint {
  colouring: GridColouring;
  /** measure: the value on the ramp, null for no data; checkins: the share visited, null for a grid without points. */
  values: ReadonlyMap<string, number | null>;
  selected: string;
  revision: number;
}

interface TileFeature {
  properties: { code?: string };
}

/**
 * The grid choropleth drawn from vector tiles (the hub's /api/area-tiles) instead
 * of one GeoJSON of every polygon: the geometry is loaded once per tile and
 * cached; a new set of counts only re-evaluates the colours (the revision in
 * updateTriggers), the deck.gl equivalent of MapLibre's feature-state. Grids
 * outside the selected area are not in `values` and stay transparent.
 */
export function gridTilesLayer(src: GridTileSource, paint: GridPaint) {
  const code = (f: TileFeature) => f.properties.code ?? '';
  return new MVTLayer({
    id: 'grid-choropleth',
    data: src.urls,
    minZoom: 0,
    maxZoom: src.maxZoom,
    binary: false,
    uniqueIdProperty: 'code',
    // Parsed on the page: loaders.gl's default worker would be fetched from unpkg.com, and the cockpit loads nothing
    // from outside the hub. Grid tiles are small (a few hundred polygons at most), so parsing them here is cheap.
    loaders: [MVTLoader],
    loadOptions: { core: { worker: false, fetch: { headers: { authorization: `Bearer ${src.key}` } } } },
    // Every tile in view is asked for at once; the browser queues them on its connections. deck.gl's own queue
    // (6 at a time) issued the rest only on a later frame, and a frame under a software GPU takes 300-500 ms.
    maxRequests: 0,
    pickable: true,
    // No outlines here: MapLibre already draws every grid's boundary (map/area-layers.ts), and deck.gl's outlines of
    // thousands of tiled polygons doubled the frame time while panning (bench/cockpit-city-render.bench.mjs).
    // The selected grid's white outline is gridOutlineLayer below.
    stroked: false,
    filled: true,
    lineWidthUnits: 'pixels',
    getFillColor: (f: TileFeature) => {
      const c = code(f);
      if (!paint.values.has(c)) return [0, 0, 0, 0];
      const v = paint.values.get(c)!;
      if (paint.colouring === 'checkins') return [...checkinShareColour(v), c === paint.selected ? 190 : 150];
      return v === null ? [18, 58, 107, 60] : [...ramp(v), c === paint.selected ? 170 : 120];
    },
    autoHighlight: true,
    highlightColor: [255, 255, 255, 50],
    updateTriggers: {
      getFillColor: paint.revision,
    },
    parameters: { depthCompare: 'always' },
  });
}

/** The selected grid's outline (white, 3 px), drawn from its ring in the area tree; not pickable. */
export function gridOutlineLayer(ring: [number, number][]) {
  return new PathLayer<[number, number][]>({
    id: 'grid-selected-outline',
    data: [ring],
    getPath: (r) => r,
    getColor: [255, 255, 255, 230],
    getWidth: 3,
    widthUnits: 'pixels',
    parameters: { depthCompare: 'always' },
  });
}

/** Gives the same revision while the values and selection are unchanged, so a redraw recolours nothing. */
export class GridPaintTracker {
  private last: GridPaint = { colouring: 'measure', values: new Map(), selected: '', revision: 0 };

  paint(values: ReadonlyMap<string, number | null>, selected: string, colouring: GridColouring = 'measure'): GridPaint {
    const prev = this.last;
    const same =
      prev.colouring === colouring &&
      prev.selected === selected &&
      prev.values.size === values.size &&
      [...values].every(([k, v]) => prev.values.has(k) && prev.values.get(k) === v);
    if (!same) this.last = { colouring, values, selected, revision: prev.revision + 1 };
    return this.last;
  }
}
