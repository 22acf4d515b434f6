import { Type } from '@sinclair/typebox';
import { AREA_TILE_LAYER, AREA_TILE_MAX_ZOOM } from '@linli/geo';
import { ApiError } from '../api-error.js';
import { raw, type Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const int = (s: string | undefined, max: number) => {
  const n = /^\d{1,8}$/.test(s ?? '') ? Number(s) : NaN;
  return n <= max ? n : NaN;
};

/**
 * The active city's area polygons as vector tiles, each cut to the caller's
 * area on the server (city/city-tiles.ts). The tile URL names the city
 * version, so a map holding tiles of a version since replaced asks again
 * (410) instead of mixing two cities.
 */
export function areaTileRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/area-tiles.json',
      tag: 'areas',
      access: 'view',
      summary: 'TileJSON of the area polygons inside your area (vector tiles of the active city)',
      handler: () => {
        const version = d.tiles.versionId();
        if (version === null) throw new ApiError(404, 'NO_CITY', '尚未启用任何城市 (no active city)');
        return raw({
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          json: {
            tilejson: '3.0.0',
            version,
            tiles: [`/api/area-tiles/${version}/{z}/{x}/{y}`],
            minzoom: 0,
            maxzoom: AREA_TILE_MAX_ZOOM,
            vector_layers: [
              {
                id: AREA_TILE_LAYER,
                fields: { code: 'String', name: 'String', level: 'String', parent: 'String' },
              },
            ],
          },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/area-tiles/:version/:z/:x/:y',
      tag: 'areas',
      access: 'view',
      summary: 'One vector tile (MVT) of the area polygons inside your area (one level with ?level=); 204 where none',
      query: Type.Object(
        { level: Type.Optional(Type.Union(['district', 'street', 'community', 'grid'].map((l) => Type.Literal(l)))) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, params, query }) => {
        const z = int(params.z, AREA_TILE_MAX_ZOOM + 8);
        const x = int(params.x, 2 ** z - 1);
        const y = int(params.y, 2 ** z - 1);
        const version = int(params.version, Number.MAX_SAFE_INTEGER);
        if ([z, x, y, version].some(Number.isNaN))
          throw new ApiError(
            400,
            'BAD_TILE',
            `不是有效的瓦片地址 (expected /api/area-tiles/version/z/x/y, z ≤ ${AREA_TILE_MAX_ZOOM + 8})`,
          );
        const tile = await d.tiles.tile(version, z, x, y, principal.user.areaCode, query.level as string | undefined);
        if (tile === 'stale')
          throw new ApiError(
            410,
            'CITY_CHANGED',
            '城市数据已更新，请刷新 (this city version is no longer active; reload)',
          );
        // Per viewer: a shared cache must not hand one user's tile to another.
        const headers = { 'cache-control': 'private, max-age=300' };
        if (!tile) return raw({ status: 204, headers });
        return raw({
          headers: { ...headers, 'content-type': 'application/vnd.mapbox-vector-tile' },
          raw: Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength),
        });
      },
    },
  ];
}
