import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { fail } from './errors.js';
import type { ImportedCollection, ImportedFeature, ImportResult } from './types.js';

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

/** Parses XML text to a DOM, refusing anything not well-formed; `where` says which part, for the message. */
function parseXml(text: string, name: string, where = { zh: '', en: '' }) {
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    return fail(name, 'not-xml', `${where.zh}不是有效的 XML：${why}`, `${where.en}not valid XML: ${why}`, e);
  }
}

/** Progress of a large file: `('parse', placemarks done, placemarks)`. */
export type KmlProgress = (stage: string, done: number, total: number) => void;

/** Placemarks per DOM in the chunked path: small enough that each DOM is short-lived. */
const BATCH = 200;
/** Shared styles and schemas are repeated into every batch; above this many characters, parse whole. */
const MAX_SHARED = 100_000;

/**
 * The features of a large KML, a batch of Placemarks at a time: one DOM of a whole city
 * (xmldom keeps hundreds of bytes per node) took 800 MB and 16 s for 15,000 grids; batches
 * halve both. The document without its Placemarks is parsed too, so malformed XML anywhere
 * is still refused, and its shared styles and schemas are put before every batch so
 * togeojson resolves them as in one DOM. Returns null when the text does not split cleanly
 * (a Placemark left unclosed, or so many shared styles that repeating them costs more).
 */
function readInBatches(text: string, name: string, progress?: KmlProgress): ImportedFeature[] | null {
  const starts = text.match(/<Placemark[\s>/]/g)?.length ?? 0;
  const chunks = text.match(/<Placemark[\s>][\s\S]*?<\/Placemark\s*>/g) ?? [];
  const root = /<kml(?:\s[^>]*)?>/.exec(text)?.[0];
  if (starts < BATCH || chunks.length !== starts || !root || root.endsWith('/>')) return null;
  // A Placemark inside a comment or CDATA is text, not a feature: leave such files to one DOM.
  for (const hidden of text.match(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g) ?? [])
    if (hidden.includes('<Placemark')) return null;
  const skeleton = text.replace(/<Placemark[\s>][\s\S]*?<\/Placemark\s*>/g, '');
  const doc = parseXml(skeleton, name);
  if (doc.documentElement?.localName !== 'kml') return null; // the whole-document path says why
  const shared = (skeleton.match(/<(Style|StyleMap|Schema)\b[\s\S]*?<\/\1\s*>/g) ?? []).join('');
  if (shared.length > MAX_SHARED) return null;
  const features: ImportedFeature[] = [];
  for (let i = 0; i < chunks.length; i += BATCH) {
    progress?.('parse', i, chunks.length);
    const batch = chunks.slice(i, i + BATCH).join('');
    const where = {
      zh: `第 ${i + 1}–${Math.min(i + BATCH, chunks.length)} 个 Placemark `,
      en: `Placemarks ${i + 1}–${Math.min(i + BATCH, chunks.length)}: `,
    };
    const part = parseXml(`${root}<Document>${shared}${batch}</Document></kml>`, name, where);
    features.push(...(kml(part) as ImportedCollection).features);
  }
  progress?.('parse', chunks.length, chunks.length);
  return features;
}

/**
 * Reads KML (text or bytes) with togeojson; each Placemark becomes a feature, in document
 * order, with its name and ExtendedData as properties. KML 2.2 defines its coordinates as
 * WGS-84 longitude/latitude, so that is what the file declares; pass the importer's `crs`
 * option for files exported from Chinese web maps that ignore this. Files of hundreds of
 * Placemarks or more are parsed in batches (see `readInBatches`), with the same result and
 * `onProgress` called per batch.
 */
export function readKml(
  input: string | Uint8Array,
  options: { name?: string; onProgress?: KmlProgress } = {},
): ImportResult {
  const name = options.name ?? 'KML';
  const text = typeof input === 'string' ? input : decode(input, name);
  const batched = readInBatches(text, name, options.onProgress);
  let collection: ImportedCollection;
  if (batched) collection = { type: 'FeatureCollection', features: batched };
  else {
    const doc = parseXml(text, name);
    const root = doc.documentElement;
    if (!root || root.localName !== 'kml')
      fail(
        name,
        'not-kml',
        `根元素是 <${root?.nodeName}>，不是 <kml>`,
        `the root element is <${root?.nodeName}>, not <kml>`,
      );
    collection = kml(doc) as ImportedCollection;
  }
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
