import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { demoBasemapPath, tileRange, writePmtiles } from '@linli/geo';
import { PbfReader } from 'pbf';
import { afterEach, describe, expect, it } from 'vitest';
import { type BasemapRoute, openBasemap } from '../../src/http/basemap-route.js';
import { COMPRESS_MIN_BYTES } from '../../src/http/compression.js';
import { createLogger } from '../../src/log.js';
import { get } from './http-peers.js';

const log = createLogger('test', 'silent');
let server: Server | null = null;
let route: BasemapRoute | null = null;

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await route?.close();
  server = null;
  route = null;
});

/** Serves the archive on a loopback port, as the hub does. */
async function serve(path: string): Promise<string> {
  route = await openBasemap(path, log);
  server = createServer((req, res) => route!.handle(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('basemap route over a real socket', () => {
  it('serves TileJSON and vector tiles of the demo archive, with Chinese street names', async () => {
    const base = await serve(demoBasemapPath());
    const tj = (await (await fetch(`${base}/basemap/tiles.json`)).json()) as {
      tiles: string[];
      minzoom: number;
      maxzoom: number;
      schema: string;
      vector_layers: { id: string }[];
      bounds: [number, number, number, number];
    };
    expect(tj.schema).toBe('linli');
    expect([tj.minzoom, tj.maxzoom]).toEqual([10, 16]);
    expect(tj.tiles).toEqual(['/basemap/tiles/{z}/{x}/{y}.mvt']);
    expect(tj.vector_layers.map((l) => l.id)).toContain('streets');

    const { x0, y0 } = tileRange(15, [116.98, 33.64, 116.98, 33.64]);
    const res = await fetch(`${base}/basemap/tiles/15/${x0}/${y0}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
    const streets = tile.layers.streets!;
    const names = Array.from({ length: streets.length }, (_, i) => String(streets.feature(i).properties.name));
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    // Recoded for a browser that accepts brotli (compression.ts): the same tile once decoded. The demo city's
    // zoom-11 tile holds the whole city's streets (~14 KB); its zoom-15 tiles are under the size worth coding.
    const z11 = tileRange(11, [116.98, 33.64, 116.98, 33.64]);
    const url = `${base}/basemap/tiles/11/${z11.x0}/${z11.y0}.mvt`;
    const [plain, br] = [await get(url), await get(url, 'gzip, br')];
    expect(plain.body.length).toBeGreaterThanOrEqual(COMPRESS_MIN_BYTES);
    expect([plain.headers['content-encoding'], br.headers['content-encoding']]).toEqual([undefined, 'br']);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    expect((await fetch(`${base}/basemap/tiles/15/0/0.mvt`)).status).toBe(204); // inside the world, outside the city
    expect((await fetch(`${base}/basemap/tiles/3/8/0.mvt`)).status).toBe(404); // x beyond zoom 3
    expect((await fetch(`${base}/basemap/../etc/passwd`)).status).toBe(404);
  });

  it('accepts a customer extract in the OpenMapTiles schema and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-basemap-'));
    const file = join(dir, 'city.pmtiles');
    writeFileSync(
      file,
      writePmtiles([{ z: 0, x: 0, y: 0, data: Uint8Array.from([0x1a, 0x00]) }], {
        minZoom: 0,
        maxZoom: 14,
        bounds: [116.9, 33.5, 117.1, 33.7],
        center: [117, 33.6, 12],
        metadata: { name: 'city extract', vector_layers: [{ id: 'water' }, { id: 'transportation' }, { id: 'place' }] },
      }),
    );
    const base = await serve(file);
    const tj = (await (await fetch(`${base}/basemap/tiles.json`)).json()) as { schema: string; maxzoom: number };
    expect(tj).toMatchObject({ schema: 'openmaptiles', maxzoom: 14 });
    expect(new Uint8Array(await (await fetch(`${base}/basemap/tiles/0/0/0.mvt`)).arrayBuffer())).toEqual(
      Uint8Array.from([0x1a, 0x00]),
    );
  });

  it('refuses a file that is not a PMTiles archive, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-basemap-'));
    const file = join(dir, 'not-a-basemap.pmtiles');
    writeFileSync(file, 'SQLite format 3\0'.padEnd(200, 'x'));
    await expect(openBasemap(file, log)).rejects.toThrow(/cannot serve the basemap .*not-a-basemap\.pmtiles/);
    await expect(openBasemap(join(dir, 'missing.pmtiles'), log)).rejects.toThrow(/missing\.pmtiles.*ENOENT/);
  });
});
