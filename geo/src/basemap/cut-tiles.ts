// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- vt-pbf ships no types; the declaration must reach every project that compiles this file
/// <reference path="./vt-pbf.d.ts" />
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import type { ArchiveTile } from './pmtiles-writer.js';
import type { LayerCollection } from './layers.js';

export interface CutOptions {
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north] of the data, degrees. */
  bounds: [number, number, number, number];
  /** Called after each zoom's tile range is visited (done and total count tile positions). */
  onProgress?: (done: number, total: number, z: number) => void;
}

/** Tile coordinates per side (the MVT default). */
export const TILE_EXTENT = 4096;

/** geojson-vt settings shared by the basemap and the area tiles: same simplification, same buffer. */
export function vtOptions(maxZoom: number, indexMaxZoom = maxZoom) {
  return { maxZoom, indexMaxZoom, tolerance: 3, extent: TILE_EXTENT, buffer: 64 };
}

/** The range of tile columns and rows at zoom z that covers the bounds (Web Mercator, XYZ). */
export function tileRange(z: number, [w, s, e, n]: [number, number, number, number]) {
  const n2 = 2 ** z;
  const col = (lng: number) => Math.min(n2 - 1, Math.max(0, Math.floor(((lng + 180) / 360) * n2)));
  const row = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.min(
      n2 - 1,
      Math.max(0, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n2)),
    );
  };
  return { x0: col(w), x1: col(e), y0: row(n), y1: row(s) };
}

/**
 * Cuts GeoJSON layers into Mapbox Vector Tiles with geojson-vt (clipping,
 * simplification) and vt-pbf (encoding). Tiles with no feature in any layer are left out.
 */
export function cutTiles(layers: Record<string, LayerCollection>, opts: CutOptions): ArchiveTile[] {
  const indexes = Object.entries(layers).map(
    ([name, fc]) => [name, new GeoJSONVT(fc as unknown as GeoJSON.FeatureCollection, vtOptions(opts.maxZoom))] as const,
  );
  let total = 0;
  for (let z = opts.minZoom; z <= opts.maxZoom; z++) {
    const r = tileRange(z, opts.bounds);
    total += (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1);
  }
  const out: ArchiveTile[] = [];
  let done = 0;
  for (let z = opts.minZoom; z <= opts.maxZoom; z++) {
    const r = tileRange(z, opts.bounds);
    for (let x = r.x0; x <= r.x1; x++) {
      for (let y = r.y0; y <= r.y1; y++) {
        const tile: Record<string, { features: unknown[] }> = {};
        for (const [name, index] of indexes) {
          const t = index.getTile(z, x, y);
          if (t && t.features.length) tile[name] = t;
        }
        if (Object.keys(tile).length)
          out.push({ z, x, y, data: fromGeojsonVt(tile, { version: 2, extent: TILE_EXTENT }) });
        done++;
      }
    }
    opts.onProgress?.(done, total, z);
  }
  return out;
}
