import { parentPort } from 'node:worker_threads';
import type { AreaFeature } from '../geojson.js';
import { AreaTileIndex, type TileScope } from './area-tiles.js';

/** Messages to the area-tile worker (area-tile-pool.ts). */
export type AreaTileRequest =
  | { kind: 'load'; req: number; features: AreaFeature[] }
  | { kind: 'tile'; req: number; z: number; x: number; y: number; scope: TileScope };

export type AreaTileReply =
  { req: number; ok: true; data: Uint8Array | null } | { req: number; ok: false; error: string };

// Cutting a city's polygons (a second or more for 15,000 grids) and drilling into deep tiles happen here, off the hub's event loop.
let index: AreaTileIndex | null = null;

parentPort?.on('message', (m: AreaTileRequest) => {
  try {
    if (m.kind === 'load') {
      index = new AreaTileIndex(m.features);
      parentPort!.postMessage({ req: m.req, ok: true, data: null } satisfies AreaTileReply);
      return;
    }
    if (!index) throw new Error('no areas loaded');
    const data = index.tile(m.z, m.x, m.y, m.scope);
    parentPort!.postMessage(
      { req: m.req, ok: true, data } satisfies AreaTileReply,
      data ? [data.buffer as ArrayBuffer] : [],
    );
  } catch (err) {
    parentPort!.postMessage({ req: m.req, ok: false, error: String(err) } satisfies AreaTileReply);
  }
});
