import { detectCrs } from './crs.js';
import { fail, ImportError, type ImportIssue, importIssue } from './errors.js';
import type { ImportedFeature, ImportResult } from './types.js';

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFeature(f: unknown, i: number, issues: ImportIssue[]): ImportedFeature | null {
  if (!isObject(f) || f['type'] !== 'Feature') {
    issues.push(importIssue(i, 'not-feature', '不是 GeoJSON Feature 对象', 'is not a GeoJSON Feature object'));
    return null;
  }
  const { geometry, properties } = f;
  if (geometry !== null && !(isObject(geometry) && GEOMETRY_TYPES.has(geometry['type'] as string))) {
    issues.push(importIssue(i, 'bad-geometry', 'geometry 不是 GeoJSON 几何对象', 'geometry is not a GeoJSON geometry'));
    return null;
  }
  if (properties !== null && properties !== undefined && !isObject(properties)) {
    issues.push(importIssue(i, 'bad-properties', 'properties 不是对象', 'properties is not an object'));
    return null;
  }
  return {
    type: 'Feature',
    properties: (properties as Record<string, unknown> | null | undefined) ?? null,
    geometry: geometry as ImportedFeature['geometry'],
  };
}

/**
 * Reads GeoJSON text, bytes (UTF-8) or an already-parsed value: a FeatureCollection, a
 * single Feature or a bare geometry. Checks structure only; geometry is checked by the
 * importer. Reports the CRS the file declares (see `detectCrs`).
 */
export function readGeoJson(input: string | Uint8Array | object, options: { name?: string } = {}): ImportResult {
  const name = options.name ?? 'GeoJSON';
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
    try {
      value = JSON.parse(text);
    } catch (e) {
      fail(name, 'not-json', `不是有效的 JSON：${(e as Error).message}`, `not valid JSON: ${(e as Error).message}`, e);
    }
  }
  if (!isObject(value)) return fail(name, 'not-geojson', '不是 GeoJSON 对象', 'not a GeoJSON object');
  let raw: unknown[];
  if (value['type'] === 'FeatureCollection' && Array.isArray(value['features'])) raw = value['features'];
  else if (value['type'] === 'Feature') raw = [value];
  else if (GEOMETRY_TYPES.has(value['type'] as string)) raw = [{ type: 'Feature', properties: null, geometry: value }];
  else
    return fail(
      name,
      'not-geojson',
      `不是 GeoJSON：type 为 ${JSON.stringify(value['type'])}`,
      `not GeoJSON: type is ${JSON.stringify(value['type'])}`,
    );
  const issues: ImportIssue[] = [];
  const features = raw.map((f, i) => checkFeature(f, i, issues));
  if (issues.length) throw new ImportError(name, issues);
  return {
    collection: { type: 'FeatureCollection', features: features as ImportedFeature[] },
    source: { format: 'geojson', name, crs: detectCrs(value) },
  };
}
