import { readFileSync } from 'node:fs';
import type { AreaLevel, Crs } from '@linli/geo';
import type { CityMapping } from './city-types.js';

/** CGCS2000 (China's geodetic system) differs from WGS-84 by centimetres: taken as WGS-84. */
const CRS: Record<string, Crs> = { wgs84: 'WGS84', cgcs2000: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' };
const LEVELS: AreaLevel[] = ['city', 'district', 'street', 'community', 'grid'];
const MAPPING_KEYS: (keyof CityMapping)[] = [
  'code',
  'name',
  'level',
  'parent',
  'fullCover',
  'facilityKind',
  'facilityName',
];

export function parseCrs(v: string): Crs {
  const crs = CRS[v.toLowerCase().replace(/[-_ ]/g, '')];
  if (!crs) throw new Error(`--crs must be wgs84, cgcs2000, gcj02 (高德/腾讯) or bd09 (百度) (got ${v})`);
  return crs;
}

export function parseLevel(v: string): AreaLevel {
  if (!(LEVELS as string[]).includes(v)) throw new Error(`--level must be one of ${LEVELS.join(', ')} (got ${v})`);
  return v as AreaLevel;
}

/** `--reassign OLD=NEW` (repeatable): area codes of digits on both sides. */
export function parseReassign(list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of list) {
    const m = /^(\d{6,15})=(\d{6,15})$/.exec(item.trim());
    if (!m) throw new Error(`--reassign must be OLD=NEW area codes, e.g. 341302001=341102001 (got ${item})`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** The nearest known key, for "did you mean" (Levenshtein distance up to 3). */
function nearest(word: string, known: readonly string[]): string | null {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  const best = known.map((k) => [k, dist(word.toLowerCase(), k.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= 3 ? best[0] : null;
}

/**
 * The mapping file (docs/city-import.md): a JSON object naming the property that
 * holds each thing. Every value must be a property name; an unknown key is
 * refused with the nearest valid one, never ignored.
 */
export function parseMapping(text: string, file: string): Partial<CityMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: 不是有效的 JSON / not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${file}: 应为 JSON 对象，如 {"code": "编码", "name": "名称"} / expected a JSON object`);
  const problems: string[] = [];
  const out: Partial<CityMapping> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(MAPPING_KEYS as string[]).includes(k)) {
      const near = nearest(k, MAPPING_KEYS);
      problems.push(`未知字段 unknown key "${k}"${near ? `（是否应为 did you mean "${near}"?）` : ''}`);
    } else if (typeof v !== 'string' || !v.trim())
      problems.push(`"${k}" 应为属性名（非空字符串）/ must be a property name (a non-empty string)`);
    else out[k as keyof CityMapping] = v;
  }
  if (problems.length)
    throw new Error(`${file}:\n  ${problems.join('\n  ')}\n  可用字段 keys: ${MAPPING_KEYS.join(', ')}`);
  return out;
}

export function readMappingFile(file: string): Partial<CityMapping> {
  return parseMapping(readFileSync(file, 'utf8'), file);
}
