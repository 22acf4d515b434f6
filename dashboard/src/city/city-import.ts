import {
  type AreaLevel,
  type Crs,
  type Home,
  type ImportResult,
  type PropertyMapping,
  SERVICE_TYPES,
  type ServiceType,
  importCity as geoImportCity,
  syntheticHomes,
} from '@linli/geo';
import { progressOf, type CityProgress } from './city-progress.js';
import type { CityDraft, CityFacility, CityMapping } from './city-types.js';
import { hubReport } from './city-validate.js';

export type { CityProgress } from './city-progress.js';

/** One uploaded or named file: its name (for messages and the format) and its bytes. */
export interface CityFile {
  name: string;
  data: Uint8Array;
}

export interface CityImportOptions {
  name: string;
  /** Property names; absent, guessed from each file's first feature (code/编码/CODE…, name/名称/NAME…). */
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
  /** Progress lines for long imports: geo's stages, grouped, with how far into each. */
  onProgress?: (p: CityProgress) => void;
}

/** Homes sampled per grid when the files hold none (docs/city-import.md, "Homes"). */
export const SAMPLED_HOMES_PER_GRID = 12;

const CODE_KEYS = ['code', 'CODE', 'Code', '编码', '代码', '区划代码', 'adcode', 'ADCODE', 'GBCODE', 'gb'];
const NAME_KEYS = ['name', 'NAME', 'Name', '名称', '名字', 'MC', 'mc'];
const KIND_KEYS = ['kind', 'KIND', 'Kind', '类型', '类别', '设施类型', 'type', 'TYPE'];

const firstProps = (imported: ImportResult): object => imported.collection.features[0]?.properties ?? {};
const pick = (props: object, keys: string[], fallback: string) => keys.find((k) => k in props) ?? fallback;
const dropUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * Files → a city draft with its report, through geo's importCity (the one
 * reading and validation path: R-tree checks that scale to 15,000 grids, one
 * report format). The hub adds only what is its own: guessing property names
 * from the first feature, its policy on sibling names, sampling homes, and
 * the facility's service type as stored. Nothing here stores anything.
 */
export async function importCity(files: readonly CityFile[], opts: CityImportOptions): Promise<CityDraft> {
  const progress = opts.onProgress ?? (() => {});
  const given = dropUndefined(opts.mapping ?? {});
  // The mapping is resolved from the first file of each role, as an operator names it once for the city.
  let areaMapping: PropertyMapping | null = null;
  let facilityMapping: { kind: string; name: string } | null = null;
  const result = await geoImportCity(
    files.map((f) => ({
      name: f.name,
      data: f.data,
      role: 'auto' as const,
      ...(opts.encoding ? { encoding: opts.encoding } : {}),
    })),
    {
      mapping: (imported) =>
        (areaMapping ??= {
          code: given.code ?? pick(firstProps(imported), CODE_KEYS, 'code'),
          name: given.name ?? pick(firstProps(imported), NAME_KEYS, 'name'),
          ...(given.level ? { level: given.level } : {}),
          ...(given.parent ? { parent: given.parent } : {}),
          ...(given.fullCover ? { fullCover: given.fullCover } : {}),
        }),
      facilityMapping: (imported) =>
        (facilityMapping ??= {
          kind: given.facilityKind ?? pick(firstProps(imported), KIND_KEYS, 'kind'),
          name: given.facilityName ?? given.name ?? pick(firstProps(imported), NAME_KEYS, 'name'),
        }),
      partial: true,
      ...(opts.crs ? { crs: opts.crs } : {}),
      ...(opts.level ? { level: opts.level } : {}),
      onProgress: (stage, done, total) => progress(progressOf(stage, done, total)),
    },
  );
  const areas = result.areas.map(({ code, name, level, parent, ring }) => ({ code, name, level, parent, ring }));
  const facilities: CityFacility[] = (result.facilities ?? []).map((f) => ({
    id: f.id,
    name: f.name,
    kind: f.label,
    type: (SERVICE_TYPES as readonly string[]).includes(f.kind) ? (f.kind as ServiceType) : null,
    position: f.position,
  }));
  let homes: Home[] = opts.homes ?? [];
  let homesFrom: CityDraft['source']['homes'] = opts.homes ? 'imported' : 'none';
  const grids = areas.filter((a) => a.level === 'grid' && a.ring);
  if (!opts.homes && facilities.length && grids.length) {
    progress(progressOf('homes', 0, grids.length));
    homes = syntheticHomes(grids, grids.length * SAMPLED_HOMES_PER_GRID, 1);
    homesFrom = 'sampled';
  }
  const mapping: CityMapping = {
    code: 'code',
    name: 'name',
    ...(areaMapping ?? {}),
    facilityKind: (facilityMapping as { kind: string } | null)?.kind ?? given.facilityKind ?? 'kind',
    facilityName: (facilityMapping as { name: string } | null)?.name ?? given.facilityName ?? 'name',
  };
  const bytes = new Map(files.map((f) => [f.name, f.data.byteLength]));
  return {
    name: opts.name,
    demo: !!opts.demo,
    source: {
      files: result.sources.map((s) => ({
        name: s.name,
        format: s.format,
        bytes: bytes.get(s.name) ?? 0,
        crs: opts.crs ?? s.crs ?? s.crsDetection?.crs ?? 'unknown',
        crsReason: opts.crs ? `指定为 ${opts.crs} / given` : (s.crsDetection?.reason.zh ?? ''),
        ...(s.encoding ? { encoding: s.encoding } : {}),
      })),
      mapping,
      homes: homesFrom,
    },
    report: hubReport(result.report, areas, homes.length),
    areas,
    facilities,
    network: result.roads?.features.length ? result.roads : null,
    homes,
  };
}
