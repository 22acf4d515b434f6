import { locate, properCross, type Pt, selfCrossings, signedArea } from './planar.js';

export type GeometryIssueKind =
  | 'malformed'
  | 'not-finite'
  | 'out-of-range'
  | 'too-few-positions'
  | 'unclosed'
  | 'zero-area'
  | 'self-intersection'
  | 'winding'
  | 'hole-outside';

export interface GeometryIssue {
  kind: GeometryIssueKind;
  /** 0 for the outer ring, k for the k-th hole. */
  ring: number;
  /** A position at or near the problem, when there is one. */
  at?: [number, number];
  zh: string;
  en: string;
}

/** "中文 / English", the form every user-facing message takes. */
export const issueText = (i: { zh: string; en: string }): string => `${i.zh} / ${i.en}`;

const ringZh = (k: number) => (k === 0 ? '外环' : `第 ${k} 个内环`);
const ringEn = (k: number) => (k === 0 ? 'outer ring' : `hole ${k}`);
const fmt = (p: Pt) => `(${+p[0].toFixed(7)}, ${+p[1].toFixed(7)})`;

/** Checks one ring's positions; returns them as pairs when all are usable. */
function readRing(raw: unknown, k: number, out: GeometryIssue[]): Pt[] | null {
  if (!Array.isArray(raw)) {
    out.push({
      kind: 'malformed',
      ring: k,
      zh: `${ringZh(k)}不是坐标数组`,
      en: `${ringEn(k)} is not an array of positions`,
    });
    return null;
  }
  const pts: Pt[] = [];
  for (const [i, p] of raw.entries()) {
    const ok = Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
    if (!ok) {
      const zh = `${ringZh(k)}第 ${i + 1} 个坐标不是有限数值`;
      out.push({
        kind: 'not-finite',
        ring: k,
        zh,
        en: `${ringEn(k)} position ${i + 1} is not a pair of finite numbers`,
      });
      return null;
    }
    pts.push([p[0] as number, p[1] as number]);
  }
  const bad = pts.findIndex(([x, y]) => x < -180 || x > 180 || y < -90 || y > 90);
  if (bad >= 0) {
    const at = pts[bad]!;
    out.push({
      kind: 'out-of-range',
      ring: k,
      at: [at[0], at[1]],
      zh: `${ringZh(k)}第 ${bad + 1} 个坐标 ${fmt(at)} 超出范围：经度应在 −180…180，纬度应在 −90…90`,
      en: `${ringEn(k)} position ${bad + 1} ${fmt(at)} is out of range: longitude must be within −180..180, latitude within −90..90`,
    });
    return null;
  }
  return pts;
}

function selfIntersection(ring: Pt[], k: number): GeometryIssue | null {
  const first = selfCrossings(ring);
  if (!first) return null;
  const at = first.at;
  return {
    kind: 'self-intersection',
    ring: k,
    at,
    zh: `多边形自相交：${ringZh(k)}第 ${first.i + 1} 与第 ${first.j + 1} 条边在 ${fmt(at)} 相交，共 ${first.count} 处`,
    en: `polygon self-intersects: ${ringEn(k)} edges ${first.i + 1} and ${first.j + 1} meet at ${fmt(at)}; ${first.count} in all`,
  };
}

function holeOutside(hole: Pt[], outer: Pt[]): boolean {
  if (hole.some((p) => locate(p, outer) === 'out')) return true;
  for (let i = 0; i + 1 < hole.length; i++)
    for (let j = 0; j + 1 < outer.length; j++)
      if (properCross(hole[i]!, hole[i + 1]!, outer[j]!, outer[j + 1]!)) return true;
  return false;
}

/**
 * Checks a GeoJSON Polygon's coordinates (outer ring then holes) and returns every
 * problem found; never throws. A ring whose positions are unusable is not checked further.
 */
export function validatePolygon(coordinates: unknown): GeometryIssue[] {
  const out: GeometryIssue[] = [];
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    out.push({
      kind: 'malformed',
      ring: 0,
      zh: '坐标不是多边形（应为环的数组）',
      en: 'coordinates are not a polygon (an array of rings)',
    });
    return out;
  }
  const rings: (Pt[] | null)[] = coordinates.map((raw, k) => {
    const pts = readRing(raw, k, out);
    if (!pts) return null;
    const n = pts.length;
    const first = pts[0];
    const last = pts[n - 1];
    if (n < 4) {
      const zh = `${ringZh(k)}只有 ${n} 个坐标，至少需要 4 个（首尾相同）`;
      out.push({
        kind: 'too-few-positions',
        ring: k,
        zh,
        en: `${ringEn(k)} has ${n} positions; at least 4 (first = last)`,
      });
    }
    if (first && last && (first[0] !== last[0] || first[1] !== last[1]))
      out.push({
        kind: 'unclosed',
        ring: k,
        at: [first[0], first[1]],
        zh: `${ringZh(k)}未闭合：首尾坐标不同`,
        en: `${ringEn(k)} is not closed: first and last positions differ`,
      });
    if (n < 4 || out.some((i) => i.ring === k)) return null;
    const crossing = selfIntersection(pts, k);
    if (crossing) {
      out.push(crossing);
      return null;
    }
    const area = signedArea(pts);
    const perimeter = pts.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - pts[i]![0], p[1] - pts[i]![1]), 0);
    if (Math.abs(area) <= 1e-12 * perimeter * perimeter) {
      out.push({
        kind: 'zero-area',
        ring: k,
        zh: `${ringZh(k)}面积为零（点共线或重合）`,
        en: `${ringEn(k)} has zero area (collinear or repeated points)`,
      });
      return null;
    }
    if (k === 0 ? area < 0 : area > 0)
      out.push({
        kind: 'winding',
        ring: k,
        zh: `${ringZh(k)}为${k === 0 ? '顺' : '逆'}时针，RFC 7946 要求外环逆时针、内环顺时针（可用 rewind() 修正）`,
        en: `${ringEn(k)} is ${k === 0 ? '' : 'counter-'}clockwise; RFC 7946 wants outer rings counter-clockwise and holes clockwise (rewind() fixes it)`,
      });
    return pts;
  });
  const outer = rings[0];
  rings.forEach((hole, k) => {
    if (k > 0 && hole && outer && holeOutside(hole, outer))
      out.push({
        kind: 'hole-outside',
        ring: k,
        zh: `${ringZh(k)}不在外环之内`,
        en: `${ringEn(k)} is not inside the outer ring`,
      });
  });
  return out;
}

/** The same polygon with the outer ring counter-clockwise and holes clockwise (RFC 7946); a copy. */
export function rewind<P extends readonly number[]>(rings: readonly (readonly P[])[]): P[][] {
  return rings.map((ring, k) => {
    const area = signedArea(ring.map((p) => [p[0] ?? 0, p[1] ?? 0] as const));
    return (k === 0 ? area < 0 : area > 0) ? [...ring].reverse() : [...ring];
  });
}
