import type { DemoFeatures } from '../demo-features/types.js';
import type { AreaTree } from '../types.js';
import { cutTiles } from './cut-tiles.js';
import { BASEMAP_LAYERS, basemapLayers, type LayerCollection } from './layers.js';
import { writePmtiles } from './pmtiles-writer.js';

export interface BuildBasemapOptions {
  /** Default 10: the whole district on one screen. */
  minZoom?: number;
  /** Default 16: street level; MapLibre overzooms beyond. */
  maxZoom?: number;
  onProgress?: (done: number, total: number, z: number) => void;
}

/** What the archive's metadata says about the layers, for styles and for the hub's TileJSON. */
function vectorLayers(layers: Record<string, LayerCollection>, minzoom: number, maxzoom: number) {
  return BASEMAP_LAYERS.map((id) => {
    const fields: Record<string, string> = {};
    for (const f of layers[id]!.features)
      for (const [k, v] of Object.entries(f.properties)) fields[k] = typeof v === 'number' ? 'Number' : 'String';
    return { id, fields, minzoom, maxzoom };
  });
}

function extentOf(layers: Record<string, LayerCollection>): [number, number, number, number] {
  let [w, s, e, n] = [180, 90, -180, -90];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      [w, s, e, n] = [Math.min(w, c[0]), Math.min(s, c[1] as number), Math.max(e, c[0]), Math.max(n, c[1] as number)];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const fc of Object.values(layers)) for (const f of fc.features) visit(f.geometry.coordinates);
  return [w, s, e, n];
}

/**
 * Builds the demo city's offline basemap: its layers cut into vector tiles,
 * in one PMTiles archive. Same tree and features, same tiles.
 */
export function buildBasemap(tree: AreaTree, features: DemoFeatures, opts: BuildBasemapOptions = {}): Buffer {
  const minZoom = opts.minZoom ?? 10;
  const maxZoom = opts.maxZoom ?? 16;
  const layers = basemapLayers(tree, features);
  const bounds = extentOf(layers);
  const tiles = cutTiles(layers, { minZoom, maxZoom, bounds, ...(opts.onProgress && { onProgress: opts.onProgress }) });
  const center: [number, number, number] = [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 13];
  return writePmtiles(tiles, {
    minZoom,
    maxZoom,
    bounds,
    center,
    metadata: {
      name: 'Linli demo city basemap',
      description: '示意底图：宿州市埇桥区演示城市（道路、水系、公园、设施均为虚构）',
      attribution: '示意数据 Illustrative data',
      type: 'overlay',
      format: 'pbf',
      'linli:schema': 'linli',
      disclaimer: features.disclaimer,
      vector_layers: vectorLayers(layers, minZoom, maxZoom),
    },
  });
}
