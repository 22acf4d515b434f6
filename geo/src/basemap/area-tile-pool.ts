import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AreaFeature } from '../geojson.js';
import type { TileScope } from './area-tiles.js';
import type { AreaTileReply, AreaTileRequest } from './area-tile-worker.js';

/**
 * The compiled worker. From src/basemap (tests run the TypeScript) and from
 * dist/basemap alike, the built file is two folders up then dist/basemap:
 * the worker always runs the build (`node scripts/build.mjs`).
 */
export function areaTileWorkerPath(): string {
  return fileURLToPath(new URL('../../dist/basemap/area-tile-worker.js', import.meta.url));
}

type Unnumbered<T> = T extends unknown ? Omit<T, 'req'> : never;
type Pending = { resolve: (d: Uint8Array | null) => void; reject: (e: Error) => void };

/**
 * One worker thread holding one city's area tiles: `load` replaces the
 * polygons, `tile` answers one scoped tile. Requests are answered in order,
 * so a tile asked for after a load is cut from the loaded city.
 */
export class AreaTileWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private failed: Error | null = null;

  constructor(path = areaTileWorkerPath()) {
    this.worker = new Worker(path);
    this.worker.unref();
    this.worker.on('message', (m: AreaTileReply) => {
      const p = this.pending.get(m.req);
      this.pending.delete(m.req);
      if (!p) return;
      if (m.ok) p.resolve(m.data);
      else p.reject(new Error(`area tiles: ${m.error}`));
    });
    const fail = (err: Error) => {
      this.failed = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the area-tile worker exited (code ${code})`)));
  }

  private ask(m: Unnumbered<AreaTileRequest>, transfer: ArrayBuffer[] = []): Promise<Uint8Array | null> {
    if (this.failed) return Promise.reject(this.failed);
    const req = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.worker.postMessage({ ...m, req }, transfer);
    });
  }

  async load(features: readonly AreaFeature[]): Promise<void> {
    await this.ask({ kind: 'load', features: features as AreaFeature[] });
  }

  tile(z: number, x: number, y: number, scope: TileScope): Promise<Uint8Array | null> {
    return this.ask({ kind: 'tile', z, x, y, scope: { ...scope, also: [...scope.also] } });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.failed = new Error('the area-tile worker was closed');
  }
}
