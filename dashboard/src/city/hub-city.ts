import type { Logger } from '../log.js';
import type { ActiveCity, CitySnapshot } from './active-city.js';
import { CityError, type CityService } from './city-service.js';
import { orphanText } from './city-orphans.js';
import { demoCityDraft } from './demo-city-source.js';

/** What the operator runs when the hub has no city: printed in the log and shown in the cockpit. */
export const NO_CITY_HINT = 'linli-hub city import 区划.geojson --activate';

const DEMO_ACTOR = { userId: 'system:demo', role: 'system' as const };

/**
 * The demo city as the first import of a database that never held a city, then
 * activated. Several nodes starting at once store it once (the first version
 * only, under the versions lock). A database with any version is left alone.
 */
export async function ensureDemoCity(cities: CityService, log: Logger): Promise<void> {
  if (!(await cities.store.isEmpty())) return;
  const draft = await demoCityDraft();
  const id = await cities.save(draft, DEMO_ACTOR, Date.now(), true);
  if (id === null) return;
  if (!draft.report.ok) {
    log.error(
      { version: id, issues: draft.report.issues.length },
      'the demo city failed validation (a bug in the demo data)',
    );
    return;
  }
  try {
    await cities.activate(id, DEMO_ACTOR, Date.now());
    log.info({ version: id }, 'imported and activated the demo city (示意数据)');
  } catch (e) {
    if (!(e instanceof CityError)) throw e;
    log.warn(
      { version: id, code: e.code },
      `the demo city was imported but not activated: ${e.message}\n${orphanText(e.orphans)}`,
    );
  }
}

/**
 * At hub start: the demo as the first import when asked (`city: 'demo'`), the
 * active version loaded, the poll started, and one line about what is served.
 * The demo's coverage takes a fraction of a second, so a demo hub waits for it
 * and serves it from its first request.
 */
export async function startActiveCity(
  city: ActiveCity,
  cities: CityService,
  opts: { city?: 'demo'; cityPollMs?: number },
  log: Logger,
): Promise<void> {
  if (opts.city === 'demo') await ensureDemoCity(cities, log);
  await city.refresh();
  if (opts.city === 'demo') await city.coverageSettled();
  city.start(opts.cityPollMs);
  announceCity(city.current(), log);
}

/** One clear log line about the city this hub serves, or how to give it one. */
export function announceCity(s: CitySnapshot, log: Logger): void {
  if (!s.version) {
    log.warn(
      `尚未启用任何城市：驾驶舱没有区域，网关事件无法按网格归属。导入并启用：${NO_CITY_HINT} / ` +
        `no active city: the cockpit has no areas. Import and activate one with: ${NO_CITY_HINT}`,
    );
    return;
  }
  log.info(
    { version: s.version.id, name: s.version.name, areas: s.version.areaCount, demo: s.version.demo },
    'serving city',
  );
}
