import gcoordImport from 'gcoord';
import { fail, ImportError, type ImportIssue } from './errors.js';

// gcoord's typings declare `export default`, but its CommonJS build assigns module.exports
// directly, so under NodeNext the default import is the object itself at run time.
type Gcoord = (typeof gcoordImport)['default'];
const gcoord = ('transform' in gcoordImport ? gcoordImport : gcoordImport.default) as Gcoord;

/** Geographic systems an import may be in: WGS-84 (GPS, CGCS2000 within centimetres), GCJ-02 (高德/腾讯), BD-09 (百度). */
export type Crs = 'WGS84' | 'GCJ02' | 'BD09';

export interface CrsDetection {
  /** `unsupported`: the file names a system we cannot convert (e.g. a projected one). */
  crs: Crs | 'unknown' | 'unsupported';
  from: 'explicit' | 'file' | 'none';
  /** Why, in Chinese and English. */
  reason: { zh: string; en: string };
}

const GCOORD: Record<Crs, Gcoord['WGS84'] | Gcoord['GCJ02'] | Gcoord['BD09']> = {
  WGS84: gcoord.WGS84,
  GCJ02: gcoord.GCJ02,
  BD09: gcoord.BD09,
};

export function isCrs(v: unknown): v is Crs {
  return v === 'WGS84' || v === 'GCJ02' || v === 'BD09';
}

/** The box gcoord (and the GCJ-02 algorithm itself) treats as China; outside it every system equals WGS-84. */
export function inChina(lng: number, lat: number): boolean {
  return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

/**
 * Converts one position to WGS-84. Outside China every system is taken to be WGS-84: gcoord
 * already leaves GCJ-02 alone there, but applies Baidu's BD-09 offset everywhere, while
 * Baidu's own maps use WGS-84 abroad.
 */
export function toWgs84(pos: readonly [number, number], from: Crs): [number, number] {
  if (from === 'WGS84' || !inChina(pos[0], pos[1])) return [pos[0], pos[1]];
  const [lng, lat] = gcoord.transform([pos[0], pos[1]], GCOORD[from], gcoord.WGS84);
  return [lng, lat];
}

export function fromWgs84(pos: readonly [number, number], to: Crs): [number, number] {
  if (to === 'WGS84' || !inChina(pos[0], pos[1])) return [pos[0], pos[1]];
  const [lng, lat] = gcoord.transform([pos[0], pos[1]], gcoord.WGS84, GCOORD[to]);
  return [lng, lat];
}

const WGS84_NAMES = [/CRS84$/i, /EPSG:{1,2}4326$/i, /EPSG:{1,2}4490$/i, /^(4326|4490)$/];

/** Reads a GeoJSON `crs` member (2008 spec; RFC 7946 dropped it but exporters still write it). */
function fromCrsMember(crs: unknown): CrsDetection | null {
  if (typeof crs !== 'object' || crs === null) return null;
  const props = (crs as { properties?: Record<string, unknown> }).properties ?? {};
  const name = String(props['name'] ?? props['code'] ?? '');
  if (WGS84_NAMES.some((re) => re.test(name)))
    return { crs: 'WGS84', from: 'file', reason: { zh: `文件声明 ${name}`, en: `the file declares ${name}` } };
  const named = name || JSON.stringify(crs);
  return {
    crs: 'unsupported',
    from: 'file',
    reason: { zh: `文件声明的坐标系 ${named} 不是经纬度`, en: `the file declares ${named}, not longitude/latitude` },
  };
}

/**
 * What coordinate system the data is in. An explicit choice wins; then what the file
 * declares; otherwise `unknown`. RFC 7946 says undeclared GeoJSON is WGS-84, but files
 * exported from Chinese web maps are usually GCJ-02 or BD-09 without saying so, so an
 * unknown system is never assumed.
 */
export function detectCrs(input: unknown, explicit?: Crs): CrsDetection {
  if (explicit)
    return { crs: explicit, from: 'explicit', reason: { zh: `指定为 ${explicit}`, en: `given as ${explicit}` } };
  const member = typeof input === 'object' && input !== null ? fromCrsMember((input as { crs?: unknown }).crs) : null;
  return (
    member ?? {
      crs: 'unknown',
      from: 'none',
      reason: { zh: '文件未声明坐标系', en: 'the file does not declare a CRS' },
    }
  );
}

/**
 * The system to convert from. Unknown is accepted only when no coordinate lies in China,
 * where all three systems coincide; inside China the caller must say which it is.
 */
export function requireCrs(detection: CrsDetection, anyInChina: boolean, source: string): Crs {
  if (detection.crs === 'unsupported')
    fail(
      source,
      'crs-unsupported',
      `${detection.reason.zh}，请先转换为 WGS-84 经纬度`,
      `${detection.reason.en}; reproject to WGS-84 longitude/latitude first`,
    );
  if (detection.crs !== 'unknown') return detection.crs;
  if (!anyInChina) return 'WGS84';
  return fail(
    source,
    'crs-unknown',
    '坐标位于中国境内但坐标系未知，请用 --crs（或 crs 选项）指定 WGS84、GCJ02（高德/腾讯）或 BD09（百度）',
    'coordinates lie in China but the coordinate system is unknown; pass --crs (or the crs option): WGS84, GCJ02 (AMap/Tencent) or BD09 (Baidu)',
  );
}

/**
 * The system to convert a file's positions from, as `requireCrs` decides it, with any refusal
 * as issues rather than a throw, so a caller can report it beside the file's other problems.
 */
export function resolveCrs(
  declared: CrsDetection,
  explicit: Crs | undefined,
  anyInChina: boolean,
  source: string,
): { crs: Crs; detection: CrsDetection; issues: ImportIssue[] } {
  const detection = explicit ? detectCrs(null, explicit) : declared;
  try {
    return { crs: requireCrs(detection, anyInChina, source), detection, issues: [] };
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    return { crs: 'WGS84', detection, issues: e.issues };
  }
}
