import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { readKml } from '../../src/import/read-kml.js';
import { toAreas } from '../../src/import/to-area-tree.js';
import { hex } from './shapefile-fixture.js';

const placemark = (name: string, code: string, level: string, coords: string) => `
    <Placemark>
      <name>${name}</name>
      <ExtendedData>
        <Data name="code"><value>${code}</value></Data>
        <Data name="level"><value>${level}</value></Data>
      </ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing>
        <coordinates>${coords}</coordinates>
      </LinearRing></outerBoundaryIs></Polygon>
    </Placemark>`;

const KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>马号社区网格</name>
    <Folder>${placemark('马号社区第1网格', '341302002001001', '网格', '116.99,33.64,0 116.995,33.64,0 116.995,33.645,0 116.99,33.645,0 116.99,33.64,0')}
    ${placemark('马号社区第2网格', '341302002001002', '网格', '116.995,33.64,0 117.0,33.64,0 117.0,33.645,0 116.995,33.645,0 116.995,33.64,0')}
    </Folder>
    <Placemark><name>社区服务站</name><Point><coordinates>116.993,33.642,0</coordinates></Point></Placemark>
  </Document>
</kml>`;

function thrown(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('readKml', () => {
  it('reads Placemarks in document order with their names and ExtendedData, declared WGS-84', () => {
    const { collection, source } = readKml(KML, { name: 'grids.kml' });
    expect(source).toMatchObject({ format: 'kml', name: 'grids.kml', crs: { crs: 'WGS84', from: 'file' } });
    expect(collection.features.map((f) => f.properties)).toEqual([
      { name: '马号社区第1网格', code: '341302002001001', level: '网格' },
      { name: '马号社区第2网格', code: '341302002001002', level: '网格' },
      { name: '社区服务站' },
    ]);
    expect(collection.features[0]!.geometry!.type).toBe('Polygon');
  });

  it('turns polygon Placemarks into grids, and names the Placemark that is not a polygon', () => {
    const read = readKml(KML);
    const only = { ...read, collection: { ...read.collection, features: read.collection.features.slice(0, 2) } };
    const { areas } = toAreas(only, { mapping: { code: 'code', name: 'name', level: 'level' } });
    expect(areas.map((a) => [a.code, a.level, a.parent])).toEqual([
      ['341302002001001', 'grid', '341302002001'],
      ['341302002001002', 'grid', '341302002001'],
    ]);
    expect(areas[0]!.ring![1]).toEqual([116.995, 33.64]);
    const e = thrown(() => toAreas(read, { mapping: { code: 'code', name: 'name', level: 'level' } }));
    expect(e.issues.map((i) => [i.featureIndex, i.kind])).toEqual([
      [2, 'missing-code'],
      [2, 'bad-level'],
      [2, 'not-polygon'],
    ]);
  });

  it('decodes bytes in the encoding the XML declaration names (GBK)', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<?xml version="1.0" encoding="GBK"?><kml xmlns="http://www.opengis.net/kml/2.2">'),
      ...new TextEncoder().encode('<Placemark><name>'),
      ...hex('C2 ED BA C5 C9 E7 C7 F8'), // 马号社区
      ...new TextEncoder().encode('</name></Placemark></kml>'),
    ]);
    expect(readKml(bytes).collection.features[0]!.properties).toEqual({ name: '马号社区' });
  });

  it('refuses malformed XML and XML that is not KML', () => {
    expect(thrown(() => readKml('<kml><Placemark>', { name: 'cut.kml' })).issues[0]).toMatchObject({
      kind: 'not-xml',
      featureIndex: null,
    });
    expect(thrown(() => readKml('<gpx></gpx>')).message).toContain('<gpx>');
    expect(
      thrown(() => readKml(new TextEncoder().encode('<?xml version="1.0" encoding="x-nope"?><kml/>'))).issues[0]!.kind,
    ).toBe('bad-encoding');
  });
});
