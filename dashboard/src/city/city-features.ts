import { type Crs, detectCrs, inChina, requireCrs, SERVICE_TYPES, type ServiceType, toWgs84 } from '@linli/geo';
import type { StreetCollection } from '@linli/geo';
import type { ReadFile } from './city-files.js';
import type { CityFacility, CityIssue, CityMapping } from './city-types.js';

/** Words in a facility's kind that say which 15-minute service it is; the first match wins. */
const KIND_WORDS: [ServiceType, RegExp][] = [
  // Meals first: a 老年食堂 (elders' canteen) is a canteen, not a care station.
  ['canteen', /食堂|助餐|餐|canteen|dining/i],
  ['elderly-care', /养老|老年|敬老|日间照料|助老|elderly|aged|senior/i],
  ['clinic', /卫生|诊所|医|clinic|health|hospital/i],
  ['convenience', /便利|超市|商店|菜市|商超|shop|store|market|convenience/i],
  ['park', /公园|绿地|广场|park|garden/i],
];

/** geo's SERVICE_TYPES where the kind fits one; other kinds (a police post, a school) are kept but not counted. */
export function serviceTypeOf(kind: string): ServiceType | null {
  const k = kind.trim();
  if ((SERVICE_TYPES as readonly string[]).includes(k)) return k as ServiceType;
  return KIND_WORDS.find(([, re]) => re.test(k))?.[0] ?? null;
}

const text = (v: unknown) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '');
const isPair = (p: unknown): p is number[] =>
  Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** The file's coordinate system: the explicit one, else what it declares; unknown in China is an issue. */
function crsOf(f: ReadFile, explicit: Crs | undefined, positions: number[][], issues: CityIssue[]): Crs | null {
  try {
    return requireCrs(
      explicit ? detectCrs(null, explicit) : f.result.source.crs,
      positions.some((p) => inChina(p[0]!, p[1]!)),
      f.file.name,
    );
  } catch (e) {
    issues.push({ severity: 'error', kind: 'crs-unknown', file: f.file.name, message: (e as Error).message });
    return null;
  }
}

/** Point features as facilities, converted to WGS-84; a feature without a point or a kind is an issue. */
export function readFacilities(
  f: ReadFile,
  mapping: CityMapping,
  explicit: Crs | undefined,
  issues: CityIssue[],
): CityFacility[] {
  const feats = f.result.collection.features;
  const points = feats.map((x) => (x.geometry?.type === 'Point' ? x.geometry.coordinates : null));
  const crs = crsOf(f, explicit, points.filter(isPair), issues);
  if (!crs) return [];
  const kindKey = mapping.facilityKind ?? 'kind';
  const nameKey = mapping.facilityName ?? mapping.name;
  const out: CityFacility[] = [];
  feats.forEach((x, i) => {
    const p = points[i];
    const props = x.properties ?? {};
    const at = `第 ${i + 1} 个要素 / feature ${i + 1}`;
    if (!isPair(p)) {
      issues.push({
        severity: 'error',
        kind: 'not-point',
        file: f.file.name,
        message: `${at}：设施应为点（Point），实为 ${x.geometry?.type ?? '无几何'} / a facility must be a Point, got ${x.geometry?.type ?? 'no geometry'}`,
      });
      return;
    }
    const kind = text(props[kindKey]);
    if (!kind) {
      issues.push({
        severity: 'error',
        kind: 'missing-kind',
        file: f.file.name,
        message: `${at}：缺少设施类型属性 "${kindKey}" / missing the facility kind property "${kindKey}"`,
      });
      return;
    }
    const type = serviceTypeOf(kind);
    const name = text(props[nameKey]) || kind;
    if (!type)
      issues.push({
        severity: 'warning',
        kind: 'unknown-kind',
        file: f.file.name,
        message: `${at}：设施类型“${kind}”不属于 15 分钟生活圈的服务类型，保留但不计入覆盖 / kind "${kind}" is not a 15-minute service type: kept, not counted in coverage`,
      });
    out.push({ id: `${f.file.name}#${i + 1}`, name, kind, type, position: toWgs84([p[0]!, p[1]!], crs) });
  });
  return out;
}

/** Line features as the walking network, converted to WGS-84; other geometries are issues. */
export function readRoads(f: ReadFile, explicit: Crs | undefined, issues: CityIssue[]): StreetCollection['features'] {
  const feats = f.result.collection.features;
  const lines = feats.map((x) => {
    const g = x.geometry;
    if (g?.type === 'LineString' && Array.isArray(g.coordinates)) return [g.coordinates as unknown[]];
    if (g?.type === 'MultiLineString' && Array.isArray(g.coordinates)) return g.coordinates as unknown[][];
    return null;
  });
  const crs = crsOf(f, explicit, lines.flat(2).filter(isPair), issues);
  if (!crs) return [];
  const out: {
    type: 'Feature';
    properties: Record<string, unknown>;
    geometry: { type: string; coordinates: number[][][] };
  }[] = [];
  lines.forEach((parts, i) => {
    if (!parts || !parts.every((part) => Array.isArray(part) && part.length >= 2 && part.every(isPair))) {
      issues.push({
        severity: 'error',
        kind: 'not-line',
        file: f.file.name,
        message: `第 ${i + 1} 个要素：道路应为至少两点的线（LineString），实为 ${feats[i]!.geometry?.type ?? '无几何'} / feature ${i + 1}: a road must be a LineString of 2+ positions`,
      });
      return;
    }
    const coords = parts.map((part) => (part as number[][]).map((p) => toWgs84([p[0]!, p[1]!], crs)));
    out.push({
      type: 'Feature',
      properties: { name: text(feats[i]!.properties?.name) },
      geometry: { type: 'MultiLineString', coordinates: coords },
    });
  });
  return out;
}
