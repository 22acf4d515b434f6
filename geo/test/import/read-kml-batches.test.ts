import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { readKml } from '../../src/import/read-kml.js';

/** A KML of n Placemarks of every geometry kind, in folders, with a shared style, a schema and both kinds of extended data. */
function bigKml(n: number, breakAt = -1): string {
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = 116.9 + (i % 50) * 0.001;
    const y = 33.6 + Math.floor(i / 50) * 0.001;
    const geometry = [
      `<Polygon><outerBoundaryIs><LinearRing><coordinates>${x},${y} ${x + 0.001},${y} ${x + 0.001},${y + 0.001} ${x},${y}</coordinates></LinearRing></outerBoundaryIs></Polygon>`,
      `<Point><coordinates>${x},${y},0</coordinates></Point>`,
      `<LineString><coordinates>${x},${y} ${x + 0.001},${y + 0.001}</coordinates></LineString>`,
    ][i % 3];
    const data =
      i % 2
        ? `<ExtendedData><Data name="code"><value>${i}</value></Data></ExtendedData>`
        : `<ExtendedData><SchemaData schemaUrl="#grid"><SimpleData name="code">${i}</SimpleData></SchemaData></ExtendedData>`;
    const name = i === breakAt ? `<name>第${i}个</nme>` : `<name>第${i}个 &amp; 浍水</name>`;
    body.push(
      `${i % 100 === 0 ? '</Folder><Folder>' : ''}<Placemark>${name}<styleUrl>#area</styleUrl>${data}${geometry}</Placemark>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>
<Style id="area"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle><PolyStyle><color>7f00ff00</color></PolyStyle></Style>
<Schema id="grid"><SimpleField name="code" type="string"/></Schema>
<!-- 示意数据 -->
<Folder>${body.join('\n')}</Folder></Document></kml>`;
}

const oneDom = (text: string) => kml(new DOMParser().parseFromString(text, 'text/xml')).features;

function thrown(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('readKml in batches', () => {
  it('gives exactly what one DOM of the whole file gives, styles and schemas included', () => {
    const text = bigKml(650);
    const progress: string[] = [];
    const features = readKml(text, { onProgress: (stage, done, total) => progress.push(`${stage} ${done}/${total}`) })
      .collection.features;
    expect(progress).toEqual(['parse 0/650', 'parse 200/650', 'parse 400/650', 'parse 600/650', 'parse 650/650']);
    expect(features).toHaveLength(650);
    expect(features).toEqual(oneDom(text));
    expect(features[0]!.properties).toMatchObject({ name: '第0个 & 浍水', code: '0', stroke: '#ff0000' });
  });

  it('refuses a malformed Placemark naming its batch, and malformed XML between Placemarks', () => {
    const bad = thrown(() => readKml(bigKml(650, 310), { name: 'city.kml' }));
    expect(bad.issues[0]).toMatchObject({ kind: 'not-xml', featureIndex: null });
    expect(bad.issues[0]!.message).toMatch(
      /^第 201–400 个 Placemark 不是有效的 XML：.* \/ Placemarks 201–400: not valid XML/,
    );
    const between = bigKml(650).replace('<Schema id="grid">', '<Schema id="grid"><Oops>');
    expect(thrown(() => readKml(between)).issues[0]!.kind).toBe('not-xml');
  });

  it('reads a file whose last Placemark is cut off as one DOM, so it is refused', () => {
    const cut = bigKml(650).replace(/<\/Placemark><\/Folder><\/Document><\/kml>$/, '');
    expect(thrown(() => readKml(cut)).issues[0]!.kind).toBe('not-xml');
  });

  it('leaves a Placemark inside a comment out, as one DOM does', () => {
    const text = bigKml(650).replace('<!-- 示意数据 -->', '<!-- <Placemark><name>旧</name></Placemark> -->');
    expect(readKml(text).collection.features).toHaveLength(650);
  });
});
