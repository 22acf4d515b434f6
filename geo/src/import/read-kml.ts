import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { fail } from './errors.js';
import type { ImportedCollection, ImportResult } from './types.js';

/** Bytes decoded as the XML declaration says (some Chinese tools still write GBK), else UTF-8. */
function decode(bytes: Uint8Array, name: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch (e) {
    return fail(name, 'bad-encoding', `不支持的 XML 编码 ${label}`, `unsupported XML encoding ${label}`, e);
  }
}

/**
 * Reads KML (text or bytes) with togeojson; each Placemark becomes a feature, in document
 * order, with its name and ExtendedData as properties. KML 2.2 defines its coordinates as
 * WGS-84 longitude/latitude, so that is what the file declares; pass the importer's `crs`
 * option for files exported from Chinese web maps that ignore this.
 */
export function readKml(input: string | Uint8Array, options: { name?: string } = {}): ImportResult {
  const name = options.name ?? 'KML';
  const text = typeof input === 'string' ? input : decode(input, name);
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    return fail(name, 'not-xml', `不是有效的 XML：${why}`, `not valid XML: ${why}`, e);
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml')
    fail(
      name,
      'not-kml',
      `根元素是 <${root?.nodeName}>，不是 <kml>`,
      `the root element is <${root?.nodeName}>, not <kml>`,
    );
  const collection = kml(doc) as ImportedCollection;
  return {
    collection,
    source: {
      format: 'kml',
      name,
      crs: {
        crs: 'WGS84',
        from: 'file',
        reason: { zh: 'KML 规范规定为 WGS-84', en: 'KML is WGS-84 by specification' },
      },
    },
  };
}
