import { type Api, createApi } from './api.js';
import type { PublicUser } from '@linli/contract';
import { AreaTree } from './area-tree.js';
import type { CityInfo } from './city-footer.js';
import { fetchGridTiles, type GridTileSource } from './layers/grid-tiles-layer.js';
import { type BasemapInfo, fetchBasemapInfo } from './map/basemap-style.js';
import { loginForm } from './panels/login-form.js';
import { cockpitKey, forgetSession } from './session.js';

/** Who is logged in: the contract's public user (contract/src/rest/accounts.ts). */
export type Me = PublicUser;

export interface Boot {
  key: string;
  api: Api;
  me: Me;
  tree: AreaTree;
  /** The hub's area tiles (every polygon the map draws); null with no active city. */
  tiles: GridTileSource | null;
  basemap: BasemapInfo | null;
  /** The active city; null when the hub has none yet. */
  city: CityInfo | null;
}

/**
 * Login (or the wall link's key), who am I, and the areas I may see: their tree (names, bounds, label anchors)
 * and where their tiles are, never every polygon. Everything after this is scoped by the hub.
 */
export async function boot(onUnauthorized: () => void): Promise<Boot> {
  for (;;) {
    const key = cockpitKey() ?? (await loginForm());
    const api = createApi(key, onUnauthorized);
    try {
      const { user: me } = await api.get('/api/me');
      const [list, tiles, basemap] = await Promise.all([
        api.get('/api/area-tree'),
        fetchGridTiles(api, key, location.origin),
        fetchBasemapInfo(),
      ]);
      const tree = new AreaTree(list.areas, me.areaCode, (under) => api.get('/api/areas', { under }));
      return { key, api, me, tree, tiles, basemap, city: list.city };
    } catch (err) {
      // A stale token in this tab: forget it and ask again rather than show an empty map.
      console.warn('session not usable, logging in again', err);
      forgetSession();
    }
  }
}
