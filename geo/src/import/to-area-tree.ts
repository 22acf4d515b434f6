import type { AreaLevel, Ring } from '../types.js';
import { rewind, validatePolygon } from '../validate/geometry.js';
import type { HierarchyArea } from '../validate/hierarchy.js';
import { type Crs, type CrsDetection, detectCrs, inChina, requireCrs, toWgs84 } from './crs.js';
import { ImportError, type ImportIssue, importIssue } from './errors.js';
import type { ImportResult } from './types.js';

/** Which feature property holds what. */
export interface PropertyMapping {
  code: string;
  name: string;
  /** Level as a word (`grid`, `网格`, `社区`, `街道`…); without it, `options.level`, else the code's length. */
  level?: string;
  /** Parent code; without it, the code minus its last three digits (a district's city: first four + 00). */
  parent?: string;
  /** A truthy value (true, 1, "是", "Y") marks an area whose children should tile it. */
  fullCover?: string;
}

export interface ToAreasOptions {
  mapping: PropertyMapping;
  /** The coordinate system, when the file does not say (required for unlabelled data in China). */
  crs?: Crs;
  /** Every feature's level, for a file that holds one level (e.g. a grid layer). */
  level?: AreaLevel;
  /** Turn rings to RFC 7946 winding instead of reporting it. */
  rewind?: boolean;
  /** Called every 1,000 features as `('map', done, total)`. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ToAreasResult {
  areas: HierarchyArea[];
  /** The system the coordinates were converted from, and why. */
  crs: Crs;
  crsDetection: CrsDetection;
}

const LEVEL_WORDS: Record<AreaLevel, string[]> = {
  city: ['city', '市', '地级市'],
  district: ['district', 'county', '区', '县', '区县', '县级市'],
  street: ['street', 'town', 'township', '街道', '乡', '镇', '乡镇'],
  community: ['community', 'village', '社区', '村', '居委会', '村委会', '居民委员会', '村民委员会'],
  grid: ['grid', '网格'],
};

function levelOf(word: string): AreaLevel | null {
  const w = word.trim().toLowerCase();
  return (Object.keys(LEVEL_WORDS) as AreaLevel[]).find((l) => LEVEL_WORDS[l].includes(w)) ?? null;
}

export function levelFromCode(code: string): AreaLevel | null {
  const byLength: Record<number, AreaLevel> = { 9: 'street', 12: 'community', 15: 'grid' };
  if (!/^\d+$/.test(code)) return null;
  return code.length === 6 ? (code.endsWith('00') ? 'city' : 'district') : (byLength[code.length] ?? null);
}

export function parentFromCode(code: string, level: AreaLevel): string | null {
  if (level === 'city') return null;
  return level === 'district' ? `${code.slice(0, 4)}00` : code.slice(0, -3);
}

/** A code or name as text; DBF numeric fields arrive as numbers. */
function text(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' ? v.trim() : '';
}

const truthy = (v: unknown) => v === true || v === 1 || /^(1|true|t|y|yes|是)$/i.test(text(v));

/** A feature's polygon rings, or why it has none. */
function polygonOf(g: { type: string; coordinates?: unknown } | null): unknown[] | string | null {
  if (g === null) return null;
  if (g.type === 'Polygon' && Array.isArray(g.coordinates)) return g.coordinates;
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length === 1)
    return Array.isArray(g.coordinates[0]) ? g.coordinates[0] : 'MultiPolygon';
  return g.type === 'MultiPolygon' ? 'MultiPolygon(多部件)' : g.type;
}

const isPair = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/**
 * Turns imported features into areas: reads code, name, level and parent through `mapping`,
 * converts coordinates to WGS-84 and validates each polygon. Every problem in every feature
 * is collected and thrown together as one ImportError; nothing is half-imported.
 */
export function toAreas(imported: ImportResult, options: ToAreasOptions): ToAreasResult {
  const { mapping } = options;
  const { features } = imported.collection;
  const issues: ImportIssue[] = [];
  const add = (i: number, kind: string, zh: string, en: string) => issues.push(importIssue(i, kind, zh, en));
  const polygons = features.map((f) => polygonOf(f.geometry));
  const positions = polygons.flatMap((p) => (Array.isArray(p) ? p.flat() : []));
  const detection = options.crs ? detectCrs(null, options.crs) : imported.source.crs;
  let crs: Crs = 'WGS84';
  try {
    crs = requireCrs(
      detection,
      positions.some((p) => isPair(p) && inChina(p[0], p[1])),
      imported.source.name,
    );
  } catch (e) {
    issues.push(...(e as ImportError).issues);
  }
  const seen = new Map<string, number>();
  const areas: HierarchyArea[] = [];
  features.forEach((f, i) => {
    if (i % 1000 === 0) options.onProgress?.('map', i, features.length);
    const props = f.properties ?? {};
    const code = text(props[mapping.code]);
    const name = text(props[mapping.name]);
    if (!code) add(i, 'missing-code', `缺少编码属性 "${mapping.code}"`, `missing the code property "${mapping.code}"`);
    if (!name) add(i, 'missing-name', `缺少名称属性 "${mapping.name}"`, `missing the name property "${mapping.name}"`);
    if (code && seen.has(code))
      add(
        i,
        'duplicate-code',
        `编码 ${code} 与第 ${seen.get(code)! + 1} 个要素重复`,
        `code ${code} repeats feature ${seen.get(code)! + 1}`,
      );
    else if (code) seen.set(code, i);
    const word = mapping.level ? text(props[mapping.level]) : '';
    const level = mapping.level ? levelOf(word) : (options.level ?? levelFromCode(code));
    if (!level)
      add(
        i,
        'bad-level',
        `无法确定层级（${word || code || '空'}）`,
        `cannot tell the level (${word || code || 'empty'})`,
      );
    const parent = mapping.parent ? text(props[mapping.parent]) || null : level ? parentFromCode(code, level) : null;
    const poly = polygons[i];
    if (typeof poly === 'string')
      add(i, 'not-polygon', `几何类型为 ${poly}，应为面（Polygon）`, `geometry is ${poly}, not a Polygon`);
    // Other levels may be drawn from their children (Area.ring is null for them).
    if (poly === null && level === 'grid') add(i, 'missing-geometry', '网格必须有边界', 'a grid needs a boundary');
    let ring: Ring | null = null;
    if (Array.isArray(poly)) {
      let rings = poly.map((r) => (Array.isArray(r) ? r.map((p) => (isPair(p) ? toWgs84([p[0], p[1]], crs) : p)) : r));
      if (options.rewind && validatePolygon(rings).every((g) => g.kind === 'winding'))
        rings = rewind(rings as number[][][]);
      for (const g of validatePolygon(rings)) add(i, g.kind, g.zh, g.en);
      if (rings.length > 1)
        add(
          i,
          'has-holes',
          `多边形有 ${rings.length - 1} 个内环，面域模型只支持外环`,
          `polygon has ${rings.length - 1} hole(s); areas have an outer ring only`,
        );
      ring = rings[0] as Ring;
    }
    if (!code || !name || !level) return;
    areas.push({
      code,
      name,
      level,
      parent,
      ring,
      ...(mapping.fullCover && truthy(props[mapping.fullCover]) ? { fullCover: true } : {}),
    });
  });
  options.onProgress?.('map', features.length, features.length);
  if (issues.length) throw new ImportError(imported.source.name, issues);
  return { areas, crs, crsDetection: detection };
}
