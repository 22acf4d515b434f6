import { type Api, createApi } from './api.js';
import type { PublicUser } from '@linli/contract';
import { AreaTree } from './area-tree.js';
import type { CityInfo } from './city-footer.js';
import { type AreaCollection, fetchAreas } from './hub-client.js';
import { type BasemapInfo, fetchBasemapInfo } from './map/basemap-style.js';
import { loginForm } from './panels/login-form.js';
import { cockpitKey, forgetSession } from './session.js';

/** Who is logged in: the contract's public user (contract/src/rest/accounts.ts). */
export type Me = PublicUser;

export interface Boot {
  key: string;
  api: Api;
  me: Me;
  areas: AreaCollection;
  tree: AreaTree;
  basemap: BasemapInfo | null;
  /** The active city; null when the hub has none yet. */
  city: CityInfo | null;
}

/** Login (or the wall link's key), who am I, and the areas I may see. Everything after this is scoped by the hub. */
export async function boot(onUnauthorized: () => void): Promise<Boot> {
  for (;;) {
    const key = cockpitKey() ?? (await loginForm());
    const api = createApi(key, onUnauthorized);
    try {
      const { user: me } = await api.get('/api/me');
      const [areas, list, basemap] = await Promise.all([
        fetchAreas(key),
        api.get('/api/area-tree'),
        fetchBasemapInfo(),
      ]);
      return { key, api, me, areas, tree: new AreaTree(list.areas, areas, me.areaCode), basemap, city: list.city };
    } catch (err) {
      // A stale token in this tab: forget it and ask again rather than show an empty map.
      console.warn('session not usable, logging in again', err);
      forgetSession();
    }
  }
}
