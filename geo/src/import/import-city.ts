import { GridIndex } from '../index/grid-index.js';
import type { AreaLevel } from '../types.js';
import { type HierarchyArea, validateHierarchy, type ValidationProgress } from '../validate/hierarchy.js';
import { buildReport, type CityIssue, type CityReport, fromHierarchyIssue, fromImportIssue } from './city-report.js';
import type { Crs, CrsDetection } from './crs.js';
import { ImportError } from './errors.js';
import { readGeoJson } from './read-geojson.js';
import { readKml } from './read-kml.js';
import { readShapefileZip } from './read-shapefile-zip.js';
import { type PropertyMapping, toAreas } from './to-area-tree.js';
import { type CityFacility, type FacilityMapping, toFacilities } from './to-facilities.js';
import { type RoadCollection, toRoads } from './to-roads.js';
import type { ImportResult, ImportSource } from './types.js';

export type CityFileRole = 'areas' | 'facilities' | 'roads';
export type CityFileFormat = ImportSource['format'];

/** One uploaded file. */
export interface CityFile {
  /** File name: names it in the report, and its extension (.geojson/.json, .kml, .zip) tells the format. */
  name: string;
  data: Uint8Array | string;
  /** What the file holds; default `areas`. `auto`: judged from its first geometry (points, lines, else areas). */
  role?: CityFileRole | 'auto';
  /** When the name does not tell: otherwise sniffed from the first bytes. */
  format?: CityFileFormat;
  /** Every feature's level, for a layer of one level (e.g. grids.zip). */
  level?: AreaLevel;
  /** Overrides the options' mapping for this file. */
  mapping?: PropertyMapping;
  /** Text encoding of a Shapefile's .dbf, when it has no .cpg (e.g. `gbk`). */
  encoding?: string;
}

export interface ImportCityOptions {
  /** How area features name their code, name, level, parent and full cover; a function chooses per file once it is read. */
  mapping: PropertyMapping | ((imported: ImportResult) => PropertyMapping);
  facilityMapping?: FacilityMapping | ((imported: ImportResult) => FacilityMapping);
  /**
   * When some area features are bad, validate the rest instead of nothing (default false): a
   * dry run then shows overlaps and gaps among the good features too. The bad features are
   * still errors, so the city still fails.
   */
  partial?: boolean;
  /** Property naming a road; default `name`. */
  roadName?: string;
  /** Coordinate system of every file, when the files do not say (required in China). */
  crs?: Crs;
  /** Every area's level, for files of one level without their own `level`. */
  level?: AreaLevel;
  /** See HierarchyOptions.toleranceM (default 1 m). */
  toleranceM?: number;
  /** Turn rings to RFC 7946 winding instead of refusing them (default true). */
  rewind?: boolean;
  /**
   * Progress: `read` (files), `parse` (Placemarks of a large KML), `map` (features of one file), `codes`, `shapes`, `families`,
   * `overlaps` (the hierarchy checks), `facilities`, `roads`.
   */
  onProgress?: ValidationProgress;
}

export interface ImportedCitySource {
  name: string;
  role: CityFileRole;
  format: CityFileFormat;
  features: number;
  /** The system converted from (null when the file could not be read) and why. */
  crs: Crs | null;
  crsDetection: CrsDetection | null;
  encoding?: string;
}

export interface ImportCityResult {
  /** WGS-84, every file's areas together; empty when any area file could not be read or mapped. */
  areas: HierarchyArea[];
  facilities?: CityFacility[];
  roads?: RoadCollection;
  report: CityReport;
  /** The system the area coordinates were converted from (the first area file's). */
  crs: Crs | null;
  sources: ImportedCitySource[];
}

/** The format a file is in: its option, its extension, else its first bytes. */
export function formatOf(file: Pick<CityFile, 'name' | 'data' | 'format'>): CityFileFormat {
  if (file.format) return file.format;
  const ext = /\.([a-z]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (ext === 'zip' || ext === 'shp') return 'shapefile';
  if (ext === 'kml') return 'kml';
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  const head =
    typeof file.data === 'string'
      ? file.data.slice(0, 64)
      : new TextDecoder('latin1').decode(file.data.subarray(0, 64));
  if (head.startsWith('PK')) return 'shapefile';
  return head.trimStart().startsWith('<') ? 'kml' : 'geojson';
}

async function read(file: CityFile, progress: ValidationProgress): Promise<ImportResult> {
  const format = formatOf(file);
  if (format === 'kml') return readKml(file.data, { name: file.name, onProgress: progress });
  if (format === 'geojson') return readGeoJson(file.data, { name: file.name });
  const bytes = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
  return readShapefileZip(bytes, { name: file.name, ...(file.encoding ? { encoding: file.encoding } : {}) });
}

/**
 * Imports a city from its files (area boundaries at any levels, service facilities, roads):
 * reads each, converts to WGS-84, maps properties, then validates the whole area tree and
 * reports every problem in Chinese and English with a count per kind. Never throws for bad
 * data: problems are in `report` (`ok` is false when any is an error); a file that cannot be
 * read or mapped contributes no areas, and then the hierarchy is not validated (its missing
 * parents would only repeat the real problem).
 */
export async function importCity(files: readonly CityFile[], options: ImportCityOptions): Promise<ImportCityResult> {
  const progress = options.onProgress ?? (() => {});
  const issues: CityIssue[] = [];
  const sources: ImportedCitySource[] = [];
  const areas: HierarchyArea[] = [];
  const facilityInputs: ImportResult[] = [];
  const roadInputs: ImportResult[] = [];
  let areasFailed = false;
  let crs: Crs | null = null;
  for (const [k, file] of files.entries()) {
    progress('read', k, files.length);
    let role: CityFileRole = file.role === 'auto' || file.role === undefined ? 'areas' : file.role;
    const source: ImportedCitySource = {
      name: file.name,
      role,
      format: formatOf(file),
      features: 0,
      crs: null,
      crsDetection: null,
    };
    sources.push(source);
    let imported: ImportResult;
    try {
      imported = await read(file, progress);
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      issues.push(...e.issues.map((i) => fromImportIssue(file.name, i)));
      if (role === 'areas') areasFailed = true;
      continue;
    }
    if (file.role === 'auto') source.role = role = roleOf(imported);
    source.features = imported.collection.features.length;
    if (imported.source.encoding) source.encoding = imported.source.encoding;
    if (role === 'facilities') facilityInputs.push(imported);
    else if (role === 'roads') roadInputs.push(imported);
    else {
      const level = file.level ?? options.level;
      const mapping =
        file.mapping ?? (typeof options.mapping === 'function' ? options.mapping(imported) : options.mapping);
      const areaOptions = {
        mapping,
        rewind: options.rewind ?? true,
        onProgress: progress,
        ...(options.crs ? { crs: options.crs } : {}),
        ...(level ? { level } : {}),
      };
      try {
        const r = toAreas(imported, areaOptions);
        areas.push(...r.areas);
        [source.crs, source.crsDetection] = [r.crs, r.crsDetection];
        crs ??= r.crs;
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        issues.push(...e.issues.map((i) => fromImportIssue(file.name, i)));
        const rest = options.partial ? withoutBadFeatures(imported, e, areaOptions) : null;
        if (!rest) {
          areasFailed = true;
          continue;
        }
        areas.push(...rest.areas);
        [source.crs, source.crsDetection] = [rest.crs, rest.crsDetection];
        crs ??= rest.crs;
      }
    }
  }
  progress('read', files.length, files.length);
  if (areasFailed) {
    areas.length = 0;
    issues.push({
      kind: 'not-validated',
      severity: 'error',
      file: null,
      featureIndex: null,
      zh: '面域文件有错误，未做层级与空间校验',
      en: 'an area file has errors, so the hierarchy and shapes were not validated',
      message:
        '面域文件有错误，未做层级与空间校验 / an area file has errors, so the hierarchy and shapes were not validated',
    });
  } else if (areas.length) {
    const found = validateHierarchy({ areas }, { onProgress: progress, toleranceM: options.toleranceM ?? 1 });
    issues.push(...found.map(fromHierarchyIssue));
  }

  let facilities: CityFacility[] | undefined;
  if (facilityInputs.length) {
    facilities = [];
    const cells = areas.some((a) => a.level === 'grid' && a.ring)
      ? areas.filter((a) => a.level === 'grid')
      : areas.filter((a) => a.ring && (a.level === 'city' || a.level === 'district'));
    const index = cells.length ? new GridIndex(cells) : null;
    const seenIds = new Map<string, { zh: string; en: string }>(); // ids are unique across files
    for (const [k, imported] of facilityInputs.entries()) {
      progress('facilities', k, facilityInputs.length);
      const facilityMapping =
        typeof options.facilityMapping === 'function' ? options.facilityMapping(imported) : options.facilityMapping;
      const r = toFacilities(imported, {
        seenIds,
        ...(facilityMapping ? { mapping: facilityMapping } : {}),
        ...(options.crs ? { crs: options.crs } : {}),
        ...(index ? { within: (lng: number, lat: number) => index.indexAt(lng, lat) >= 0 } : {}),
      });
      facilities.push(...r.facilities);
      issues.push(...r.issues.map((i) => fromImportIssue(imported.source.name, i)));
      setCrs(sources, imported.source.name, r.crs);
    }
    progress('facilities', facilityInputs.length, facilityInputs.length);
  }

  let roads: RoadCollection | undefined;
  if (roadInputs.length) {
    roads = { type: 'FeatureCollection', features: [] };
    for (const [k, imported] of roadInputs.entries()) {
      progress('roads', k, roadInputs.length);
      const r = toRoads(imported, {
        ...(options.crs ? { crs: options.crs } : {}),
        ...(options.roadName ? { nameProperty: options.roadName } : {}),
      });
      roads.features.push(...r.roads.features);
      issues.push(...r.issues.map((i) => fromImportIssue(imported.source.name, i)));
      setCrs(sources, imported.source.name, r.crs);
    }
    progress('roads', roadInputs.length, roadInputs.length);
  }

  const counts = {
    city: 0,
    district: 0,
    street: 0,
    community: 0,
    grid: 0,
    facilities: facilities?.length ?? 0,
    roads: roads?.features.length ?? 0,
  };
  for (const a of areas) counts[a.level]++;
  return {
    areas,
    ...(facilities ? { facilities } : {}),
    ...(roads ? { roads } : {}),
    report: buildReport(issues, counts),
    crs,
    sources,
  };
}

/** A file's role from its first geometry: a file holds one layer, as GIS exports do. */
function roleOf(imported: ImportResult): CityFileRole {
  const first = imported.collection.features.find((f) => f.geometry)?.geometry?.type ?? 'Polygon';
  if (first === 'Point' || first === 'MultiPoint') return 'facilities';
  return first === 'LineString' || first === 'MultiLineString' ? 'roads' : 'areas';
}

/**
 * The areas of a file less the features toAreas named as bad; null when the file as a whole
 * is bad (no coordinate system, no features) or the rest fails too.
 */
function withoutBadFeatures(
  imported: ImportResult,
  e: ImportError,
  options: Parameters<typeof toAreas>[1],
): ReturnType<typeof toAreas> | null {
  if (e.issues.some((i) => i.featureIndex === null)) return null;
  const bad = new Set(e.issues.map((i) => i.featureIndex));
  const features = imported.collection.features.filter((_, i) => !bad.has(i));
  try {
    return toAreas({ ...imported, collection: { ...imported.collection, features } }, options);
  } catch {
    return null;
  }
}

function setCrs(sources: ImportedCitySource[], name: string, crs: Crs): void {
  const s = sources.find((x) => x.name === name && x.crs === null);
  if (s) s.crs = crs;
}
