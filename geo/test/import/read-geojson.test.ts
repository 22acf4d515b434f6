import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { readGeoJson } from '../../src/import/read-geojson.js';

const square = (x: number, y: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

function thrown(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('readGeoJson', () => {
  const fc = {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
    features: [
      { type: 'Feature', properties: { code: '341302002001', name: '马号社区' }, geometry: square(116.99, 33.64) },
      { type: 'Feature', properties: null, geometry: null },
    ],
  };

  it('reads a FeatureCollection from text, UTF-8 bytes (with BOM) or a parsed object, with its declared CRS', () => {
    const text = JSON.stringify(fc);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    for (const input of [text, bytes, fc]) {
      const { collection, source } = readGeoJson(input, { name: 'communities.geojson' });
      expect(collection.features).toHaveLength(2);
      expect(collection.features[0]!.properties).toEqual({ code: '341302002001', name: '马号社区' });
      expect(source).toMatchObject({ format: 'geojson', name: 'communities.geojson', crs: { crs: 'WGS84' } });
    }
  });

  it('wraps a single Feature or a bare geometry; undeclared CRS is unknown', () => {
    const one = readGeoJson({ type: 'Feature', properties: { a: 1 }, geometry: square(0, 0) });
    expect(one.collection.features).toHaveLength(1);
    expect(one.source.crs.crs).toBe('unknown');
    const bare = readGeoJson(JSON.stringify(square(0, 0)));
    expect(bare.collection.features[0]).toEqual({ type: 'Feature', properties: null, geometry: square(0, 0) });
  });

  it('refuses text that is not JSON or not GeoJSON', () => {
    expect(thrown(() => readGeoJson('{"type": ', { name: 'bad.json' })).issues[0]).toMatchObject({
      featureIndex: null,
      kind: 'not-json',
    });
    expect(thrown(() => readGeoJson('[1,2]')).issues[0]!.kind).toBe('not-geojson');
    expect(thrown(() => readGeoJson({ type: 'Topology' })).message).toContain('"Topology"');
  });

  it('lists every malformed feature at once, by index, in Chinese and English', () => {
    const e = thrown(() =>
      readGeoJson({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: {}, geometry: square(0, 0) },
          { type: 'Feature', properties: [], geometry: square(0, 0) },
          { type: 'Point', coordinates: [0, 0] },
          { type: 'Feature', properties: {}, geometry: { type: 'Circle', radius: 1 } },
        ],
      }),
    );
    expect(e.issues.map((i) => [i.featureIndex, i.kind])).toEqual([
      [1, 'bad-properties'],
      [2, 'not-feature'],
      [3, 'bad-geometry'],
    ]);
    expect(e.featureIndex).toBe(1);
    expect(e.issues[1]!.message).toBe(
      '第 3 个要素：不是 GeoJSON Feature 对象 / feature 3: is not a GeoJSON Feature object',
    );
  });
});
