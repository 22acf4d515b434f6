import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AREA_TILE_GRID_MIN_ZOOM,
  AREA_TILE_LAYER,
  AREA_TILE_MAX_ZOOM,
  AreaTileIndex,
  type TileScope,
} from '../../src/basemap/area-tiles.js';
import { AreaTileWorker } from '../../src/basemap/area-tile-pool.js';
import { tileRange } from '../../src/basemap/cut-tiles.js';
import { type AreaFeature, toGeoJson } from '../../src/geojson.js';
import { realisticCity } from '../../src/testing/realistic-city.js';

// 2 districts, 4 streets, 8 communities, 32 grids: small enough to read every z14 tile, deep enough for scope.
const city = realisticCity({
  seed: 11,
  split: { districts: [2, 1], streets: [2, 1], communities: [2, 1], grids: [2, 2] },
});
const features = toGeoJson({ disclaimer: '', seed: 0, areas: city.areas }).features.filter(
  (f) => f.properties.level !== 'city',
);
const everything: TileScope = { prefix: '', also: [] };

function bounds(fs: readonly AreaFeature[]): [number, number, number, number] {
  const pts = fs.flatMap((f) => f.geometry.coordinates[0]!);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

interface Decoded {
  code: string;
  props: Record<string, unknown>;
  tile: [number, number, number];
  rings: [number, number][][];
}

/** Every feature of every tile at zoom z over the city, decoded back to WGS-84. */
function decodeAll(tileOf: (z: number, x: number, y: number) => Uint8Array | null, z: number): Decoded[] {
  const r = tileRange(z, bounds(features));
  const out: Decoded[] = [];
  for (let x = r.x0; x <= r.x1; x++)
    for (let y = r.y0; y <= r.y1; y++) {
      const data = tileOf(z, x, y);
      if (!data) continue;
      const layer = new VectorTile(new PbfReader(data)).layers[AREA_TILE_LAYER]!;
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        const g = f.toGeoJSON(x, y, z).geometry;
        const rings = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []).flat();
        out.push({
          code: String(f.properties.code),
          props: f.properties,
          tile: [z, x, y],
          rings: rings as [number, number][][],
        });
      }
    }
  return out;
}

const metres = (a: [number, number], b: [number, number]) =>
  Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

describe('area tiles (geo AreaTileIndex)', () => {
  const index = new AreaTileIndex(features);

  it('holds every area once by code, with its name, level and parent', () => {
    const decoded = decodeAll((z, x, y) => index.tile(z, x, y, everything), AREA_TILE_MAX_ZOOM);
    const codes = new Set(decoded.map((d) => d.code));
    expect([...codes].sort()).toEqual(features.map((f) => f.properties.code).sort());
    const byCode = new Map(features.map((f) => [f.properties.code, f.properties]));
    for (const d of decoded) {
      const p = byCode.get(d.code)!;
      expect({ name: d.props.name, level: d.props.level }).toEqual({ name: p.name, level: p.level });
      expect(d.props.parent ?? null).toEqual(p.parent);
    }
  });

  it('draws each grid ring where the city has it, within a metre and a half', () => {
    const decoded = decodeAll((z, x, y) => index.tile(z, x, y, everything), AREA_TILE_MAX_ZOOM);
    const grids = features.filter((f) => f.properties.level === 'grid');
    let whole = 0;
    for (const g of grids) {
      const pieces = decoded.filter((d) => d.code === g.properties.code);
      expect(pieces.length).toBeGreaterThan(0);
      // A grid inside one tile comes back whole: the same corners (quantised to 1/4096 of the tile).
      if (pieces.length !== 1) continue;
      whole++;
      const got = pieces[0]!.rings.flat();
      const want = g.geometry.coordinates[0]!;
      for (const v of want) expect(Math.min(...got.map((w) => metres(v, w)))).toBeLessThan(1.5);
      for (const w of got) expect(Math.min(...want.map((v) => metres(v, w)))).toBeLessThan(1.5);
    }
    expect(whole).toBeGreaterThan(grids.length / 2);
  });

  it('leaves out what the scope does not allow: one street, plus the chain above it', () => {
    const street = features.find((f) => f.properties.level === 'street')!.properties;
    const scope: TileScope = { prefix: street.code, also: [street.parent!] };
    const decoded = decodeAll((z, x, y) => index.tile(z, x, y, scope), AREA_TILE_MAX_ZOOM);
    const codes = new Set(decoded.map((d) => d.code));
    const want = features.map((f) => f.properties.code).filter((c) => c.startsWith(street.code) || c === street.parent);
    expect([...codes].sort()).toEqual(want.sort());
    // Other streets exist in the same tiles: the filter removed them, the data had them.
    expect(features.filter((f) => f.properties.level === 'street').length).toBeGreaterThan(1);
  });

  it('keeps one level when the scope names it', () => {
    const decoded = decodeAll((z, x, y) => index.tile(z, x, y, { ...everything, level: 'grid' }), AREA_TILE_MAX_ZOOM);
    const grids = features.filter((f) => f.properties.level === 'grid').map((f) => f.properties.code);
    expect([...new Set(decoded.map((d) => d.code))].sort()).toEqual(grids.sort());
  });

  it('leaves grids out of every-level tiles below AREA_TILE_GRID_MIN_ZOOM, and keeps them for a grid-level ask', () => {
    const levels = (z: number, scope: TileScope) =>
      new Set(decodeAll((tz, x, y) => index.tile(tz, x, y, scope), z).map((d) => d.props.level));
    const grids = features.filter((f) => f.properties.level === 'grid').map((f) => f.properties.code);
    const below = AREA_TILE_GRID_MIN_ZOOM - 1;
    expect([...levels(below, everything)].sort()).toEqual(['community', 'district', 'street']);
    expect([...levels(AREA_TILE_GRID_MIN_ZOOM, everything)].sort()).toEqual([
      'community',
      'district',
      'grid',
      'street',
    ]);
    const gridOnly = decodeAll((z, x, y) => index.tile(z, x, y, { ...everything, level: 'grid' }), below);
    expect([...new Set(gridOnly.map((d) => d.code))].sort()).toEqual(grids.sort());
  });

  it('answers null for a tile with nothing in scope, and for a tile outside the city', () => {
    const r = tileRange(AREA_TILE_MAX_ZOOM, bounds(features));
    expect(index.tile(AREA_TILE_MAX_ZOOM, r.x0, r.y0, { prefix: '999999', also: [] })).toBeNull();
    expect(index.tile(AREA_TILE_MAX_ZOOM, 0, 0, everything)).toBeNull();
  });
});

describe('area tiles in a worker thread (AreaTileWorker)', () => {
  const worker = new AreaTileWorker();
  afterAll(() => worker.close());

  it('answers the same bytes as the index on this thread, and refuses before a load', async () => {
    const r = tileRange(12, bounds(features));
    await expect(worker.tile(12, r.x0, r.y0, everything)).rejects.toThrow(/no areas loaded/);
    await worker.load(features);
    const index = new AreaTileIndex(features);
    for (let x = r.x0; x <= r.x1; x++)
      for (let y = r.y0; y <= r.y1; y++) {
        const mine = index.tile(12, x, y, everything);
        const theirs = await worker.tile(12, x, y, everything);
        expect(theirs === null ? null : Buffer.from(theirs)).toEqual(mine === null ? null : Buffer.from(mine));
      }
  });
});
