import { AreaIndex, type AreaTree, type CoverageResult } from '@linli/geo';
import { AreaCatalog } from '../api/area-catalog.js';
import type { Logger } from '../log.js';
import { computeCityCoverage, type CoverageState } from './city-coverage.js';
import type { CityStore } from './city-store.js';
import type { CityContent, CityVersionSummary } from './city-types.js';

/** One active city, complete and immutable: consumers take `current()` per request and never see a mix. */
export interface CitySnapshot {
  version: CityVersionSummary | null;
  tree: AreaTree;
  index: AreaIndex;
  catalog: AreaCatalog;
  content: CityContent;
  coverage: CoverageResult | null;
}

/** The REST catalogue of whichever city is active at each call. */
export function catalogOf(city: ActiveCity): Pick<AreaCatalog, 'visibleTo' | 'exists'> {
  return {
    visibleTo: (areaCode, under) => city.current().catalog.visibleTo(areaCode, under),
    exists: (code) => city.current().catalog.exists(code),
  };
}

/** How often a node checks which version is active (one indexed single-row read), so all nodes follow an activation. */
export const CITY_POLL_MS = 5_000;

const EMPTY_CONTENT: CityContent = { areas: [], facilities: [], network: null, homes: [] };

function snapshot(version: CityVersionSummary | null, content: CityContent): CitySnapshot {
  const tree: AreaTree = { disclaimer: version?.demo ? '示意数据 / illustrative' : '', seed: 0, areas: content.areas };
  return { version, tree, index: new AreaIndex(tree), catalog: new AreaCatalog(tree), content, coverage: null };
}

/**
 * The active city, for every consumer (area scope, grid assignment, catalog,
 * cockpit geography, register, enrollment). `refresh()` reads the active
 * version id from the database and loads the version when it changed; the
 * hub calls it on a timer (CITY_POLL_MS) so every node sharing the database
 * follows an activation made on any of them, and at once after its own.
 */
export class ActiveCity {
  private snap: CitySnapshot = snapshot(null, EMPTY_CONTENT);
  private readonly listeners = new Set<(s: CitySnapshot) => void>();
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<boolean> | null = null;
  private cov: CoverageState = { versionId: null, state: 'none', progress: 0, label: '' };
  private computing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: CityStore,
    private readonly log?: Logger,
  ) {}

  current(): CitySnapshot {
    return this.snap;
  }

  coverageState(): CoverageState {
    return this.cov;
  }

  /** Settles when the coverage being computed (if any) is stored; the demo hub waits for it, being small. */
  coverageSettled(): Promise<void> {
    return this.computing;
  }

  /** Called with every new snapshot (a new version activated, or its coverage ready); returns an unsubscribe. */
  onChange(fn: (s: CitySnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Loads the active version if it is not the one held; true when it changed. One load at a time. */
  refresh(): Promise<boolean> {
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  start(pollMs = CITY_POLL_MS): void {
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log?.warn({ err: String(err) }, 'active city not refreshed'));
    }, pollMs);
    this.timer.unref();
  }

  /** Ends the poll and waits for a load or coverage in progress, so nothing writes after the store closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.loading?.catch(() => {});
    await this.computing;
  }

  private async load(): Promise<boolean> {
    const id = await this.store.activeId();
    if (id === (this.snap.version?.id ?? null)) return false;
    const version = id === null ? null : ((await this.store.list()).find((v) => v.id === id) ?? null);
    const next = version ? snapshot(version, await this.store.content(version.id)) : snapshot(null, EMPTY_CONTENT);
    if (version) next.coverage = await this.store.coverage<CoverageResult>(version.id);
    this.publish(next);
    if (version)
      this.log?.info({ version: version.id, name: version.name, areas: version.areaCount }, 'active city loaded');
    if (version && !next.coverage && next.content.facilities.length) this.computing = this.computeCoverage(next);
    else this.cov = { versionId: version?.id ?? null, state: next.coverage ? 'ready' : 'none', progress: 1, label: '' };
    return true;
  }

  private publish(s: CitySnapshot): void {
    this.snap = s;
    for (const fn of this.listeners)
      try {
        fn(s);
      } catch (err) {
        this.log?.error({ err: String(err) }, 'active city listener failed');
      }
  }

  /**
   * Coverage of a newly active version, in the background, stored with the
   * version so other nodes read it instead of computing it again (two nodes
   * may both compute it once; the results are equal).
   */
  private async computeCoverage(s: CitySnapshot): Promise<void> {
    const id = s.version!.id;
    this.cov = { versionId: id, state: 'computing', progress: 0, label: '' };
    try {
      const result = await computeCityCoverage(s.content, (progress, label) => {
        this.cov = { versionId: id, state: 'computing', progress, label };
        this.log?.info({ version: id, progress: Math.round(progress * 100) }, `15-minute coverage: ${label}`);
      });
      await this.store.saveCoverage(id, result);
      this.cov = { versionId: id, state: 'ready', progress: 1, label: '覆盖计算完成 / coverage ready' };
      if (this.snap.version?.id === id) this.publish({ ...this.snap, coverage: result });
    } catch (err) {
      this.cov = { versionId: id, state: 'failed', progress: 0, label: '', error: String(err) };
      this.log?.error({ err: String(err), version: id }, '15-minute coverage not computed');
    }
  }
}
