import {
  type Area,
  type AreaLevel,
  type Crs,
  type Home,
  type HierarchyArea,
  ImportError,
  type StreetCollection,
  syntheticHomes,
  toAreas,
} from '@linli/geo';
import { readFacilities, readRoads } from './city-features.js';
import { type CityFile, type ReadFile, readCityFile } from './city-files.js';
import type { CityDraft, CityFacility, CityIssue, CityMapping, CitySource } from './city-types.js';
import { buildReport, validateAreas } from './city-validate.js';

export interface CityImportOptions {
  name: string;
  /** Property names; absent, guessed from the first area feature (code/编码/CODE…, name/名称/NAME…). */
  mapping?: Partial<CityMapping>;
  /** The coordinate system of every file, when they do not say (CGCS2000 is given as WGS84). */
  crs?: Crs;
  /** Every area feature's level, for files that each hold one level. */
  level?: AreaLevel;
  /** A Shapefile's .dbf encoding when it has no .cpg (e.g. gbk). */
  encoding?: string;
  demo?: boolean;
  /** Home points to use (the demo's households); without them, homes are sampled inside each grid. */
  homes?: Home[];
  /** Progress lines for long imports: a stage and how far into it. */
  onProgress?: (p: CityProgress) => void;
}

export interface CityProgress {
  stage: 'read' | 'areas' | 'features' | 'validate' | 'homes';
  done: number;
  total: number;
  /** What is being done, Chinese first. */
  label: string;
}

/** Homes sampled per grid when the files hold none (docs/city-import.md, "Homes"). */
export const SAMPLED_HOMES_PER_GRID = 12;

const CODE_KEYS = ['code', 'CODE', 'Code', '编码', '代码', '区划代码', 'adcode', 'ADCODE', 'GBCODE', 'gb'];
const NAME_KEYS = ['name', 'NAME', 'Name', '名称', '名字', 'MC', 'mc'];
const KIND_KEYS = ['kind', 'KIND', 'Kind', '类型', '类别', '设施类型', 'type', 'TYPE'];

/** The mapping to use: the given fields, the rest guessed from the first area feature's properties. */
export function resolveMapping(files: readonly ReadFile[], given: Partial<CityMapping> = {}): CityMapping {
  const first = (role: ReadFile['role']) =>
    files.find((f) => f.role === role)?.result.collection.features[0]?.properties ?? {};
  const pick = (props: object, keys: string[], fallback: string) => keys.find((k) => k in props) ?? fallback;
  const areas = first('areas');
  const facilities = first('facilities');
  return {
    code: pick(areas, CODE_KEYS, 'code'),
    name: pick(areas, NAME_KEYS, 'name'),
    facilityKind: pick(facilities, KIND_KEYS, 'kind'),
    facilityName: pick(facilities, NAME_KEYS, 'name'),
    ...dropUndefined(given),
  };
}

const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Files → a city draft with its report. Nothing here stores anything: a dry
 * run prints the report, an import stores the draft (valid or failed). Every
 * file's problems are collected; one bad file never hides another's.
 */
export async function importCity(files: readonly CityFile[], opts: CityImportOptions): Promise<CityDraft> {
  const progress = opts.onProgress ?? (() => {});
  const issues: CityIssue[] = [];
  const read: ReadFile[] = [];
  for (const [i, file] of files.entries()) {
    progress({ stage: 'read', done: i, total: files.length, label: `读取 ${file.name} / reading` });
    try {
      read.push(await readCityFile(file, opts.encoding));
    } catch (e) {
      issues.push(...fileIssues(file.name, e));
    }
  }
  progress({ stage: 'read', done: files.length, total: files.length, label: '读取完成 / read' });
  const mapping = resolveMapping(read, opts.mapping);
  const areas: HierarchyArea[] = [];
  const facilities: CityFacility[] = [];
  const roads: StreetCollection['features'][number][] = [];
  const source: CitySource = { files: [], mapping, homes: 'none' };
  for (const [i, f] of read.entries()) {
    progress({
      stage: f.role === 'areas' ? 'areas' : 'features',
      done: i,
      total: read.length,
      label: `转换 ${f.file.name} / converting`,
    });
    let crs: string = f.result.source.crs.crs;
    if (f.role === 'areas') {
      const r = convertAreas(f, mapping, opts, issues);
      areas.push(...r.areas);
      crs = r.crs ?? crs;
    } else if (f.role === 'facilities') facilities.push(...readFacilities(f, mapping, opts.crs, issues));
    else roads.push(...readRoads(f, opts.crs, issues));
    source.files.push({
      name: f.file.name,
      format: f.format,
      bytes: f.file.data.byteLength,
      crs: opts.crs ?? crs,
      crsReason: opts.crs ? `指定为 ${opts.crs} / given` : f.result.source.crs.reason.zh,
      ...(f.result.source.layer ? { layer: f.result.source.layer } : {}),
      ...(f.result.source.encoding ? { encoding: f.result.source.encoding } : {}),
    });
  }
  progress({ stage: 'validate', done: 0, total: areas.length, label: `校验 ${areas.length} 个面域 / validating` });
  issues.push(...validateAreas(areas));
  progress({ stage: 'validate', done: areas.length, total: areas.length, label: '校验完成 / validated' });
  const plain: Area[] = areas.map(({ code, name, level, parent, ring }) => ({ code, name, level, parent, ring }));
  let homes: Home[] = opts.homes ?? [];
  source.homes = opts.homes ? 'imported' : 'none';
  const grids = plain.filter((a) => a.level === 'grid' && a.ring);
  if (!opts.homes && facilities.length && grids.length) {
    progress({ stage: 'homes', done: 0, total: grids.length, label: '在网格内抽样住户点 / sampling homes' });
    homes = syntheticHomes(grids, grids.length * SAMPLED_HOMES_PER_GRID, 1);
    source.homes = 'sampled';
  }
  const network = roads.length ? { type: 'FeatureCollection' as const, features: roads } : null;
  const report = buildReport(plain, issues, {
    facilities: facilities.length,
    roads: roads.length,
    homes: homes.length,
  });
  return { name: opts.name, demo: !!opts.demo, source, report, areas: plain, facilities, network, homes };
}

/**
 * geo's toAreas refuses a file whole when any feature is bad. For the report,
 * the features it named are set aside and the rest converted again, so a dry
 * run shows overlaps and gaps among the good features too, not only the first
 * layer of problems. The version still fails: the first pass's issues are errors.
 */
function convertAreas(
  f: ReadFile,
  mapping: CityMapping,
  opts: CityImportOptions,
  issues: CityIssue[],
): { areas: HierarchyArea[]; crs: string | null } {
  const options = {
    mapping,
    rewind: true,
    ...(opts.crs ? { crs: opts.crs } : {}),
    ...(opts.level ? { level: opts.level } : {}),
  };
  try {
    const r = toAreas(f.result, options);
    return { areas: r.areas, crs: r.crs };
  } catch (e) {
    issues.push(...fileIssues(f.file.name, e));
    if (!(e instanceof ImportError) || e.issues.some((i) => i.featureIndex === null)) return { areas: [], crs: null };
    const bad = new Set(e.issues.map((i) => i.featureIndex));
    const features = f.result.collection.features.filter((_, i) => !bad.has(i));
    try {
      const r = toAreas({ ...f.result, collection: { ...f.result.collection, features } }, options);
      return { areas: r.areas, crs: r.crs };
    } catch {
      return { areas: [], crs: null };
    }
  }
}

/** A reader's or converter's error as report lines: geo's ImportError carries one issue per problem. */
function fileIssues(file: string, e: unknown): CityIssue[] {
  if (e instanceof ImportError)
    return e.issues.map((i) => ({ severity: 'error' as const, kind: i.kind, file, message: i.message }));
  return [{ severity: 'error', kind: 'unreadable', file, message: e instanceof Error ? e.message : String(e) }];
}
