import { inChina, type Crs, resolveCrs, toWgs84 } from './crs.js';
import { type ImportIssue, importIssue } from './errors.js';
import type { ImportResult } from './types.js';

/** A road centreline in WGS-84, ready for `buildWalkGraph`. */
export interface RoadFeature {
  type: 'Feature';
  properties: { name: string | null };
  geometry:
    | { type: 'LineString'; coordinates: [number, number][] }
    | { type: 'MultiLineString'; coordinates: [number, number][][] };
}

export interface RoadCollection {
  type: 'FeatureCollection';
  features: RoadFeature[];
}

const isPair = (p: unknown): p is number[] =>
  Array.isArray(p) &&
  p.length >= 2 &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]) &&
  Math.abs(p[0] as number) <= 180 &&
  Math.abs(p[1] as number) <= 90;

/** The feature's lines, or why it has none. */
function linesOf(g: { type: string; coordinates?: unknown } | null): unknown[][] | string {
  if (g?.type === 'LineString' && Array.isArray(g.coordinates)) return [g.coordinates];
  if (g?.type === 'MultiLineString' && Array.isArray(g.coordinates) && g.coordinates.every(Array.isArray))
    return g.coordinates as unknown[][];
  return g?.type ?? 'null';
}

/**
 * Line features to a walking network in WGS-84 (a FeatureCollection `buildWalkGraph` takes),
 * keeping a `name` property when the mapping names one. A feature that is not a
 * (Multi)LineString, or has a line of fewer than two valid positions, is left out and
 * reported with its index (kinds `not-line`, `bad-position`: errors).
 */
export function toRoads(
  imported: ImportResult,
  options: { crs?: Crs; nameProperty?: string } = {},
): { roads: RoadCollection; issues: ImportIssue[]; crs: Crs } {
  const { features } = imported.collection;
  const lines = features.map((f) => linesOf(f.geometry));
  const anyInChina = lines.some(
    (l) => typeof l !== 'string' && l.some((line) => line.some((p) => isPair(p) && inChina(p[0]!, p[1]!))),
  );
  const { crs, issues } = resolveCrs(imported.source.crs, options.crs, anyInChina, imported.source.name);
  // Positions in an unknown system would land in the wrong place: none is imported.
  if (issues.length) return { roads: { type: 'FeatureCollection', features: [] }, issues, crs };
  const out: RoadFeature[] = [];
  const nameKey = options.nameProperty ?? 'name';
  features.forEach((f, i) => {
    const l = lines[i]!;
    if (typeof l === 'string') {
      issues.push(
        importIssue(
          i,
          'not-line',
          `几何类型为 ${l}，道路应为线（LineString）`,
          `geometry is ${l}; a road must be a LineString`,
        ),
      );
      return;
    }
    const bad = l.findIndex((line) => line.length < 2 || !line.every(isPair));
    if (bad >= 0) {
      issues.push(
        importIssue(
          i,
          'bad-position',
          `第 ${bad + 1} 条线的坐标无效或少于 2 个`,
          `line ${bad + 1} has invalid positions or fewer than 2`,
        ),
      );
      return;
    }
    const conv = (line: unknown[]) => line.map((p) => toWgs84([(p as number[])[0]!, (p as number[])[1]!], crs));
    const raw = f.properties?.[nameKey];
    const name = typeof raw === 'string' && raw.trim() ? raw.trim() : null;
    out.push({
      type: 'Feature',
      properties: { name },
      geometry:
        f.geometry!.type === 'LineString'
          ? { type: 'LineString', coordinates: conv(l[0]!) }
          : { type: 'MultiLineString', coordinates: l.map(conv) },
    });
  });
  return { roads: { type: 'FeatureCollection', features: out }, issues, crs };
}
