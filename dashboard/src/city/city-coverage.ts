import { buildWalkGraph, CoverageCalculator, type CoverageResult, type Facility } from '@linli/geo';
import type { CityContent } from './city-types.js';

/** Where a version's 15-minute coverage stands, for the log and the admin page. */
export interface CoverageState {
  versionId: number | null;
  state: 'none' | 'computing' | 'ready' | 'failed';
  /** 0..1 over the stages (walk graph, per service type, summary). */
  progress: number;
  label: string;
  error?: string;
}

const yieldTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * 15-minute coverage of a city version: the walk graph from its network (or
 * straight lines × the detour factor without one), each service type's reach,
 * then homes against it. Each stage ends with a turn of the event loop, so a
 * hub computing a large city keeps answering between stages.
 */
export async function computeCityCoverage(
  content: CityContent,
  onProgress: (progress: number, label: string) => void,
): Promise<CoverageResult> {
  onProgress(0, '构建步行路网 / building the walk graph');
  await yieldTurn();
  const graph = content.network ? buildWalkGraph(content.network) : null;
  onProgress(0.3, '计算各类设施的步行可达范围 / reach of each service type');
  await yieldTurn();
  const facilities: Facility[] = content.facilities
    .filter((f) => f.type !== null)
    .map((f) => ({ id: f.id, type: f.type!, position: f.position }));
  const result = new CoverageCalculator(graph, { cacheSize: 1 }).compute(facilities, content.homes);
  onProgress(1, '覆盖计算完成 / coverage ready');
  return result;
}
