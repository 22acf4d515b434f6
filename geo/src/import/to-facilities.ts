import { type ServiceType, SERVICE_TYPES } from '../coverage/types.js';
import { inChina, type Crs, resolveCrs, toWgs84 } from './crs.js';
import { type ImportIssue, importIssue } from './errors.js';
import type { ImportResult } from './types.js';

/** Which feature property holds what; defaults `name`, `kind`, `id`. */
export interface FacilityMapping {
  name?: string;
  kind?: string;
  /** Without it (or when empty) a facility's id is `<file>#<feature number>`. */
  id?: string;
}

/** A service facility as imported: `kind` is a SERVICE_TYPES value when the word was recognised, else the word itself. */
export interface CityFacility {
  id: string;
  name: string;
  kind: ServiceType | string;
  /** The word the file used (养老服务站, 卫生室…). */
  label: string;
  /** [lng, lat], WGS-84. */
  position: [number, number];
}

/**
 * Words that name each service type, tried in this order on the kind text (canteens first:
 * 老年食堂 is a canteen, not an elderly-care station). English type names match exactly.
 */
export const KIND_WORDS: readonly [ServiceType, readonly string[]][] = [
  ['canteen', ['食堂', '助餐', '餐桌', '饭堂', '配餐']],
  ['clinic', ['卫生', '诊所', '医院', '门诊', '医务', '药店']],
  ['elderly-care', ['养老', '敬老', '照料', '护理', '老年服务', '老年人服务', '颐养']],
  ['convenience', ['便利', '超市', '菜市', '菜场', '小卖部', '商店', '商超']],
  ['park', ['公园', '游园', '绿地', '广场']],
];

/** The service type a kind word names, or null when none of KIND_WORDS matches. */
export function serviceTypeOf(word: string): ServiceType | null {
  const w = word.trim();
  if ((SERVICE_TYPES as readonly string[]).includes(w.toLowerCase())) return w.toLowerCase() as ServiceType;
  return KIND_WORDS.find(([, words]) => words.some((k) => w.includes(k)))?.[0] ?? null;
}

const text = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
const isPair = (p: unknown): p is number[] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

export interface ToFacilitiesOptions {
  mapping?: FacilityMapping;
  crs?: Crs;
  /** Ids already taken (by earlier files of the same import) and where; this call adds its own. */
  seenIds?: Map<string, { zh: string; en: string }>;
  /** Whether a WGS-84 position lies in the city; positions outside are kept with a warning. */
  within?: (lng: number, lat: number) => boolean;
}

/**
 * Point features to facilities: reads name, kind and id through the mapping, converts to
 * WGS-84, and maps kind words to service types. Returns every problem with its feature
 * index; kinds `not-point`, `bad-position`, `missing-kind`, `duplicate-id` and CRS refusals
 * are errors (the feature is left out), `unknown-kind` and `facility-outside` warnings
 * (the facility is kept).
 */
export function toFacilities(
  imported: ImportResult,
  options: ToFacilitiesOptions = {},
): { facilities: CityFacility[]; issues: ImportIssue[]; crs: Crs } {
  const m = { name: 'name', kind: 'kind', id: 'id', ...options.mapping };
  const { features } = imported.collection;
  const points = features.map((f) => {
    const g = f.geometry;
    if (g?.type === 'Point') return g.coordinates;
    if (g?.type === 'MultiPoint' && Array.isArray(g.coordinates) && g.coordinates.length === 1) return g.coordinates[0];
    return null;
  });
  const anyInChina = points.some((p) => isPair(p) && inChina(p[0]!, p[1]!));
  const { crs, issues } = resolveCrs(imported.source.crs, options.crs, anyInChina, imported.source.name);
  // Positions in an unknown system would land in the wrong place: none is imported.
  if (issues.length) return { facilities: [], issues, crs };
  const facilities: CityFacility[] = [];
  const ids = options.seenIds ?? new Map<string, { zh: string; en: string }>();
  features.forEach((f, i) => {
    const add = (kind: string, zh: string, en: string) => issues.push(importIssue(i, kind, zh, en));
    const p = points[i];
    if (p === null || p === undefined) {
      const type = f.geometry?.type ?? 'null';
      add('not-point', `几何类型为 ${type}，设施应为点（Point）`, `geometry is ${type}; a facility must be a Point`);
      return;
    }
    if (!isPair(p) || Math.abs(p[0]!) > 180 || Math.abs(p[1]!) > 90) {
      add(
        'bad-position',
        `坐标 ${JSON.stringify(p)} 不是有效的经纬度`,
        `position ${JSON.stringify(p)} is not a valid longitude/latitude`,
      );
      return;
    }
    const props = f.properties ?? {};
    const label = text(props[m.kind]);
    if (!label) {
      add('missing-kind', `缺少类别属性 "${m.kind}"`, `missing the kind property "${m.kind}"`);
      return;
    }
    const id = text(props[m.id]) || `${imported.source.name}#${i + 1}`;
    const first = ids.get(id);
    if (first) {
      add('duplicate-id', `编号 ${id} 与${first.zh}重复`, `id ${id} repeats ${first.en}`);
      return;
    }
    ids.set(id, { zh: `${imported.source.name} 第 ${i + 1} 个要素`, en: `${imported.source.name} feature ${i + 1}` });
    const type = serviceTypeOf(label);
    if (!type)
      add(
        'unknown-kind',
        `类别"${label}"不属于 ${SERVICE_TYPES.join('、')} 中任何一类，原样保留，不计入 15 分钟覆盖`,
        `kind "${label}" is none of ${SERVICE_TYPES.join(', ')}; kept as given, not counted in 15-minute coverage`,
      );
    const position = toWgs84([p[0]!, p[1]!], crs);
    if (options.within && !options.within(position[0], position[1]))
      add(
        'facility-outside',
        `位置 (${position[0].toFixed(6)}, ${position[1].toFixed(6)}) 不在城市范围内`,
        `position (${position[0].toFixed(6)}, ${position[1].toFixed(6)}) lies outside the city`,
      );
    facilities.push({ id, name: text(props[m.name]) || label, kind: type ?? label, label, position });
  });
  return { facilities, issues, crs };
}
