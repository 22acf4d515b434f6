import { readFileSync } from 'node:fs';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { PMTiles, type RangeResponse, type Source, zxyToTileId as referenceTileId } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import {
  buildBasemap,
  demoBasemapPath,
  loadDemoCity,
  loadDemoFeatures,
  tileRange,
  writePmtiles,
  zxyToTileId,
} from '../../src/index.js';

/** The pmtiles library (an independent reader) over bytes in memory. */
class BufferSource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  getKey = () => 'memory';
  getBytes = async (offset: number, length: number): Promise<RangeResponse> => ({
    data: this.bytes.slice(offset, offset + length).buffer,
  });
}
// A copy: a Buffer may be a view into a shared pool, and `.buffer` would expose the whole pool.
const reader = (bytes: Uint8Array) => new PMTiles(new BufferSource(new Uint8Array(bytes)));

describe('PMTiles writer, read back with the pmtiles library', () => {
  it('numbers tiles along the Hilbert curve exactly as the pmtiles library does', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const z = Math.floor(rnd() * 21);
      const [x, y] = [Math.floor(rnd() * 2 ** z), Math.floor(rnd() * 2 ** z)];
      expect(zxyToTileId(z, x, y)).toBe(referenceTileId(z, x, y));
    }
    expect(() => zxyToTileId(3, 8, 0)).toThrow(/outside zoom 3/);
  });

  it('writes an archive whose header, metadata and every tile the reader returns unchanged', async () => {
    const tiles = [
      { z: 0, x: 0, y: 0, data: Uint8Array.from([1, 2, 3]) },
      { z: 2, x: 3, y: 1, data: Uint8Array.from([9]) },
      { z: 2, x: 0, y: 0, data: Uint8Array.from([4, 5]) },
    ];
    const bytes = writePmtiles(tiles, {
      minZoom: 0,
      maxZoom: 2,
      bounds: [116.9, 33.5, 117.1, 33.7],
      center: [117, 33.6, 1],
      metadata: { name: '测试', vector_layers: [] },
    });
    const p = reader(bytes);
    const h = await p.getHeader();
    expect([h.specVersion, h.minZoom, h.maxZoom, h.numAddressedTiles, h.clustered]).toEqual([3, 0, 2, 3, true]);
    expect([h.minLon, h.minLat, h.maxLon, h.maxLat]).toEqual([116.9, 33.5, 117.1, 33.7]);
    expect(await p.getMetadata()).toEqual({ name: '测试', vector_layers: [] });
    for (const t of tiles) expect(new Uint8Array((await p.getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
    expect(await p.getZxy(2, 1, 1)).toBeUndefined();
  });

  it('moves entries to leaf directories when the root would pass 16 KiB, and the reader still finds each tile', async () => {
    // Scattered tiles of uneven sizes, so the directory does not compress below the limit.
    let seed = 11;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const tiles = [];
    for (let x = 0; x < 512; x++)
      for (let y = 0; y < 512; y++)
        if (rnd() < 0.1 || (x * y) % 1000 === 0 || (x === 511 && y === 511))
          tiles.push({
            z: 9,
            x,
            y,
            data: Uint8Array.from([x % 256, y % 256, ...new Array(Math.floor(rnd() * 200)).fill(7)]),
          });
    const bytes = writePmtiles(tiles, {
      minZoom: 9,
      maxZoom: 9,
      bounds: [-180, -85, 180, 85],
      center: [0, 0, 7],
      metadata: {},
    });
    const h = await reader(bytes).getHeader();
    expect(h.leafDirectoryLength).toBeGreaterThan(0);
    expect(h.rootDirectoryOffset + h.rootDirectoryLength).toBeLessThanOrEqual(16_384);
    const p = reader(bytes);
    expect(h.numAddressedTiles).toBe(tiles.length);
    for (const t of [tiles[0]!, tiles[tiles.length - 1]!, tiles[Math.floor(tiles.length / 2)]!, tiles[777]!])
      expect(new Uint8Array((await p.getZxy(9, t.x, t.y))!.data)).toEqual(t.data);
  });
});

describe('the demo basemap', () => {
  const committed = new Uint8Array(readFileSync(demoBasemapPath()));

  it('has the six layers with Chinese names for streets, water and labels', async () => {
    const p = reader(committed);
    const h = await p.getHeader();
    expect([h.minZoom, h.maxZoom]).toEqual([10, 16]);
    const meta = (await p.getMetadata()) as { vector_layers: { id: string }[]; disclaimer: string };
    expect(meta.vector_layers.map((l) => l.id)).toEqual(['areas', 'water', 'parks', 'streets', 'facilities', 'labels']);
    expect(meta.disclaimer).toMatch(/虚构/);
    // A zoom-14 tile over the city centre, decoded with MapLibre's own MVT decoder.
    const r = tileRange(14, [116.98, 33.64, 116.98, 33.64]);
    const tile = new VectorTile(new PbfReader(new Uint8Array((await p.getZxy(14, r.x0, r.y0))!.data)));
    const names = (layer: string) =>
      Array.from({ length: tile.layers[layer]?.length ?? 0 }, (_, i) => tile.layers[layer]!.feature(i).properties.name);
    expect(names('streets').some((n) => /路|巷/.test(String(n)))).toBe(true);
    expect(names('labels').some((n) => /社区$/.test(String(n)))).toBe(true);
    expect(Object.keys(tile.layers)).toContain('areas');
  });

  it('is what the builder makes from the committed demo data (tile by tile)', async () => {
    const fresh = reader(buildBasemap(loadDemoCity(), loadDemoFeatures()));
    const old = reader(committed);
    const [hf, ho] = [await fresh.getHeader(), await old.getHeader()];
    expect(hf.numAddressedTiles).toBe(ho.numAddressedTiles);
    expect(await fresh.getMetadata()).toEqual(await old.getMetadata());
    for (let z = hf.minZoom; z <= hf.maxZoom; z++) {
      const r = tileRange(z, [hf.minLon, hf.minLat, hf.maxLon, hf.maxLat]);
      for (let x = r.x0; x <= r.x1; x++)
        for (let y = r.y0; y <= r.y1; y++) {
          const [a, b] = [await fresh.getZxy(z, x, y), await old.getZxy(z, x, y)];
          expect(a && new Uint8Array(a.data), `${z}/${x}/${y}`).toEqual(b && new Uint8Array(b.data));
        }
    }
  });

  it('reports progress up to every tile position', () => {
    const seen: number[] = [];
    buildBasemap(loadDemoCity(), loadDemoFeatures(), { maxZoom: 13, onProgress: (d, t) => seen.push(d / t) });
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
