// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- vt-pbf ships no types; the declaration must reach every project that compiles this file
/// <reference path="./vt-pbf.d.ts" />
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import type { AreaFeature } from '../geojson.js';
import { TILE_EXTENT, vtOptions } from './cut-tiles.js';

/** The one layer of an area tile: every level's polygons, told apart by the `level` property. */
export const AREA_TILE_LAYER = 'areas';
/** Deepest zoom cut; the map overzooms beyond it (a grid is a few hundred metres: z14 holds it to a metre or two). */
export const AREA_TILE_MAX_ZOOM = 14;

/**
 * Tiles of every level hold grids from this zoom in, where a 250 m grid is ~8 px across or more. Below it a city's
 * 15,000 grid outlines are a grey mesh, and were 1.3 of the 1.5 MB a map at city level (zoom 11) downloaded and parsed; the
 * cockpit's choropleth asks for `level: 'grid'` and gets them at every zoom.
 */
export const AREA_TILE_GRID_MIN_ZOOM = 12;

/** Which features a viewer may receive: areas under `prefix`, and the named ancestors of their own area. */
export interface TileScope {
  prefix: string;
  also: readonly string[];
  /** Only areas of this level (the cockpit's grid layer asks for `grid`); all levels when absent (grids from AREA_TILE_GRID_MIN_ZOOM). */
  level?: string;
}

interface VtFeature {
  tags: { code?: unknown; level?: unknown };
}

/**
 * An area tree's polygons as vector tiles, cut on demand by the same
 * geojson-vt settings as the basemap (cut-tiles.ts) and encoded per request
 * with only the features the viewer's scope allows. geojson-vt keeps the
 * cut tiles, so a tile costs its cut once and its encoding on every request.
 */
export class AreaTileIndex {
  private readonly index: GeoJSONVT;
  readonly featureCount: number;

  constructor(features: readonly AreaFeature[]) {
    this.featureCount = features.length;
    this.index = new GeoJSONVT(
      { type: 'FeatureCollection', features } as unknown as GeoJSON.FeatureCollection,
      // Tiles below z5 cut up front; deeper ones when first asked for (a 15,000-grid city at z14 is thousands of tiles).
      vtOptions(AREA_TILE_MAX_ZOOM, 5),
    );
  }

  /** The encoded tile with the features in scope, or null when none is. */
  tile(z: number, x: number, y: number, scope: TileScope): Uint8Array | null {
    const t = this.index.getTile(z, x, y) as { features: VtFeature[] } | null;
    if (!t) return null;
    const also = new Set(scope.also);
    const gridsToo = z >= AREA_TILE_GRID_MIN_ZOOM;
    const features = t.features.filter((f) => {
      const code = typeof f.tags.code === 'string' ? f.tags.code : '';
      if (scope.level !== undefined ? f.tags.level !== scope.level : !gridsToo && f.tags.level === 'grid') return false;
      return code.startsWith(scope.prefix) || also.has(code);
    });
    if (!features.length) return null;
    return fromGeojsonVt({ [AREA_TILE_LAYER]: { ...t, features } }, { version: 2, extent: TILE_EXTENT });
  }
}
