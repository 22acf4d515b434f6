import { type CityChanged, validators } from '@linli/contract';
import type { Logger } from '../log.js';
import type { ActiveCity } from './active-city.js';

/**
 * Open cockpits and walls hold the areas of the version they loaded. When
 * another version becomes active on this node, each gets `city:changed`
 * (validated against the contract before it leaves): a cockpit shows
 * 城市数据已更新 with a reload, a wall reloads at the end of its tour step.
 */
export function announceCityChanges(
  city: ActiveCity,
  cockpit: { emitLocal(event: string, payload: unknown): void },
  log: Logger,
): () => void {
  let shown = city.current().version?.id ?? null;
  return city.onChange((s) => {
    if (!s.version || s.version.id === shown) return;
    shown = s.version.id;
    const msg: CityChanged = {
      versionId: s.version.id,
      name: s.version.name,
      demo: s.version.demo,
      areaCount: s.version.areaCount,
    };
    const checked = validators.cityChanged.check(msg);
    if (!checked.ok) {
      log.error({ issues: checked.issues }, 'city:changed not sent: it does not match the contract');
      return;
    }
    cockpit.emitLocal('city:changed', checked.value);
  });
}
