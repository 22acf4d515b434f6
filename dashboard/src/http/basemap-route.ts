import { type FileHandle, open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LinliError } from '@linli/contract';
import { PMTiles, type RangeResponse, type Source, TileType } from 'pmtiles';
import type { Logger } from '../log.js';
import { sendReply } from './compression.js';

/**
 * Serves the offline vector basemap from one PMTiles archive on this machine:
 * the demo city's (built into geo/data) or a city extract the customer
 * supplies (`LINLI_BASEMAP=/path/city.pmtiles`). Routes:
 *
 *   GET /basemap/tiles.json             TileJSON 3.0 (layers, bounds, zooms, which schema)
 *   GET /basemap/tiles/{z}/{x}/{y}.mvt  one vector tile; 204 where the archive has none
 *
 * Glyphs are not served: the cockpit draws label text itself from the Noto
 * Sans SC files it already bundles (MapLibre `font-faces`), so no glyph
 * server, here or on the internet, is needed.
 *
 * No authentication, on purpose: the basemap holds streets, water, parks,
 * public facilities and area outlines, no personal data (households stay
 * out of it), and wall displays may load it before anyone signs in.
 */

/** A PMTiles source reading byte ranges from a local file (the library ships browser and HTTP sources only). */
export class LocalFileSource implements Source {
  private handle: Promise<FileHandle> | null = null;
  constructor(private readonly path: string) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    this.handle ??= open(this.path, 'r');
    const buf = Buffer.alloc(length);
    const { bytesRead } = await (await this.handle).read(buf, 0, length, offset);
    // Copy out exactly what was read: the reader keeps these ArrayBuffers in its cache.
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) };
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await (await h).close();
  }
}

/** Which layer names a style can expect: our own, or OpenMapTiles (planetiler's and tippecanoe-openmaptiles' default). */
export type BasemapSchema = 'linli' | 'openmaptiles' | 'unknown';

interface VectorLayer {
  id: string;
}

export function schemaOf(metadata: Record<string, unknown>): BasemapSchema {
  if (metadata['linli:schema'] === 'linli') return 'linli';
  const ids = new Set(((metadata.vector_layers as VectorLayer[] | undefined) ?? []).map((l) => l.id));
  if (ids.has('transportation') && ids.has('water')) return 'openmaptiles';
  if (['areas', 'streets', 'water'].every((id) => ids.has(id))) return 'linli';
  return 'unknown';
}

export interface BasemapRoute {
  /** The archive being served. */
  readonly path: string;
  readonly schema: BasemapSchema;
  /** Answers a request under /basemap/. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

const TILE = /^\/basemap\/tiles\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.(?:mvt|pbf)$/;

/**
 * Opens the archive and checks it is a PMTiles v3 archive of vector tiles,
 * so a wrong file is refused at start with its path, not on the first tile.
 */
export async function openBasemap(path: string, log: Logger): Promise<BasemapRoute> {
  const source = new LocalFileSource(path);
  const archive = new PMTiles(source);
  let tilejson: string;
  let schema: BasemapSchema;
  try {
    const h = await archive.getHeader();
    if (h.tileType !== TileType.Mvt)
      throw new Error(`its tiles are of type ${h.tileType}, not vector tiles (MVT); raster basemaps are not supported`);
    const metadata = ((await archive.getMetadata()) ?? {}) as Record<string, unknown>;
    schema = schemaOf(metadata);
    tilejson = JSON.stringify({
      tilejson: '3.0.0',
      name: metadata.name ?? 'basemap',
      attribution: metadata.attribution ?? '',
      tiles: ['/basemap/tiles/{z}/{x}/{y}.mvt'],
      minzoom: h.minZoom,
      maxzoom: h.maxZoom,
      bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
      center: [h.centerLon, h.centerLat, h.centerZoom],
      vector_layers: metadata.vector_layers ?? [],
      schema,
    });
    log.info({ path, schema, minZoom: h.minZoom, maxZoom: h.maxZoom }, 'basemap opened');
  } catch (err) {
    // Closing a source that failed to open may fail too; the open failure is the one reported below.
    await source.close().catch(() => {});
    const why = err instanceof Error ? err.message : String(err);
    throw new LinliError('BASEMAP', `cannot serve the basemap ${path}: ${why}`, { cause: err });
  }

  const tile = async (z: number, x: number, y: number, req: IncomingMessage, res: ServerResponse) => {
    const n = 2 ** z;
    if (z > 30 || x >= n || y >= n) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('no such tile');
      return;
    }
    const r = await archive.getZxy(z, x, y);
    if (!r) {
      res.writeHead(204, { 'cache-control': 'public, max-age=300' }).end();
      return;
    }
    // The archive hands tiles back decoded; they go recoded for a browser that accepts it (compression.ts).
    const headers = { 'content-type': 'application/vnd.mapbox-vector-tile', 'cache-control': 'public, max-age=300' };
    await sendReply(req, res, 200, headers, Buffer.from(r.data), true);
  };

  return {
    path,
    schema,
    handle(req, res) {
      const url = (req.url ?? '').split('?')[0]!;
      if (url === '/basemap/tiles.json') {
        res
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' })
          .end(tilejson);
        return;
      }
      const m = TILE.exec(url);
      if (!m) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      tile(Number(m[1]), Number(m[2]), Number(m[3]), req, res).catch((err: unknown) => {
        log.error({ err, url }, 'basemap tile read failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('tile read failed');
      });
    },
    close: () => source.close(),
  };
}
