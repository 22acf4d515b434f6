import iconv from 'iconv-lite';
import { XMLParser } from 'fast-xml-parser';

/**
 * MANSCDP (GB/T 28181 Appendix A): the XML bodies of MESSAGE, NOTIFY and
 * SUBSCRIBE, `Application/MANSCDP+xml`. The standard's examples declare
 * GB2312; devices send GB2312, GBK, GB18030 or UTF-8 and sometimes declare
 * one and send another. Reading decodes by the declaration and falls back to
 * GB18030 (a superset of GB2312 and GBK) when UTF-8 is declared but the bytes
 * are not UTF-8. Never throws: a body that is not MANSCDP is a typed error.
 */

export const MANSCDP_CONTENT_TYPE = 'Application/MANSCDP+xml';

export type ManscdpRoot = 'Query' | 'Response' | 'Notify' | 'Control';
const ROOTS: readonly ManscdpRoot[] = ['Query', 'Response', 'Notify', 'Control'];

/** An XML element as plain data: text, child elements (always arrays for repeated `Item`), attributes with `@`. */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export interface Manscdp {
  root: ManscdpRoot;
  cmdType: string;
  /** Serial number: a response carries the query's, so a platform can match them. */
  sn: number;
  deviceId: string;
  /** Every element under the root, as parsed (strings kept as strings: ids have leading zeros). */
  body: XmlObject;
  /** The decoded XML text (a DeviceControl is forwarded to a downward camera as it came). */
  text?: string;
}

export type ManscdpResult = { ok: true; value: Manscdp } | { ok: false; error: string };

export type Charset = 'GB2312' | 'UTF-8';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'Item',
  processEntities: true,
});

/** The body's text, decoded by `charset=` in Content-Type or the XML declaration. */
export function decodeBody(body: Uint8Array, contentType?: string): string {
  const declared = charsetOf(body, contentType);
  const gb = (b: Uint8Array) => new TextDecoder('gb18030').decode(b);
  if (declared && /^(gb2312|gbk|gb18030|gb_2312-80|x-gbk|cp936)$/i.test(declared)) return gb(body);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Declared UTF-8 (or nothing) but not UTF-8: the common field mistake is GB2312 bytes.
    return gb(body);
  }
}

function charsetOf(body: Uint8Array, contentType?: string): string | null {
  const fromHeader = /charset\s*=\s*"?([A-Za-z0-9_-]+)/i.exec(contentType ?? '');
  if (fromHeader) return fromHeader[1]!;
  const head = Buffer.from(body.subarray(0, 120)).toString('latin1');
  const decl = /<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_-]+)["']/i.exec(head);
  return decl ? decl[1]! : null;
}

/** Encodes XML text as the declared charset (GB2312 is written as GB18030, its superset, so no name is lost). */
export function encodeBody(xml: string, charset: Charset): Buffer {
  return charset === 'UTF-8' ? Buffer.from(xml, 'utf8') : iconv.encode(xml, 'gb18030');
}

/** Parses a MANSCDP body (bytes or decoded text). */
export function parseManscdp(body: Uint8Array | string, contentType?: string): ManscdpResult {
  const text = typeof body === 'string' ? body : decodeBody(body, contentType);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    return { ok: false, error: `not XML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!doc || typeof doc !== 'object') return { ok: false, error: 'empty body' };
  const root = ROOTS.find((r) => r in (doc as XmlObject));
  if (!root) return { ok: false, error: `no MANSCDP root element (expected ${ROOTS.join(', ')})` };
  const el = (doc as XmlObject)[root];
  if (!el || typeof el !== 'object' || Array.isArray(el)) return { ok: false, error: `<${root}> is empty` };
  const cmdType = text0(el.CmdType);
  const sn = text0(el.SN);
  const deviceId = text0(el.DeviceID);
  if (!cmdType) return { ok: false, error: `<${root}> has no CmdType` };
  if (!/^\d{1,10}$/.test(sn)) return { ok: false, error: `<${root}> SN "${sn}" is not a number` };
  if (!deviceId) return { ok: false, error: `<${root}> has no DeviceID` };
  return { ok: true, value: { root, cmdType, sn: Number(sn), deviceId, body: el, text } };
}

/** The text of an element (the first one if repeated); '' when absent or not text. */
export function text0(v: XmlValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text0(v[0]);
  const t = v['#text'];
  return typeof t === 'string' ? t : '';
}

/** A child element as an object ({} when absent or text). */
export function child(v: XmlValue | undefined, name: string): XmlObject {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const c = v[name];
  return c && typeof c === 'object' && !Array.isArray(c) ? c : {};
}

/** A repeated child as an array of objects. */
export function children(v: XmlValue | undefined, name: string): XmlObject[] {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
  const c = v[name];
  const list = Array.isArray(c) ? c : c === undefined ? [] : [c];
  return list.filter((x): x is XmlObject => typeof x === 'object' && !Array.isArray(x));
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

export type XmlFields = ReadonlyArray<readonly [string, string | number | XmlFields | null | undefined]>;

/** `DeviceList Num="2"` closes as `DeviceList`. */
const tagName = (k: string) => k.split(' ')[0]!;

/** `[['CmdType','Keepalive'],['SN',1]]` → `<CmdType>Keepalive</CmdType><SN>1</SN>` (null/undefined fields left out). */
export function xmlFields(fields: XmlFields, indent = ''): string {
  return fields
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) =>
      typeof v === 'object' && v !== null
        ? `${indent}<${k}>\r\n${xmlFields(v, indent + '  ')}${indent}</${tagName(k)}>\r\n`
        : `${indent}<${k}>${escapeXml(String(v))}</${tagName(k)}>\r\n`,
    )
    .join('');
}

/** A whole MANSCDP document: declaration, root, CmdType, SN, DeviceID, then `rest`. */
export function buildManscdp(
  root: ManscdpRoot,
  head: { cmdType: string; sn: number; deviceId: string },
  rest: XmlFields,
  charset: Charset,
): string {
  return (
    `<?xml version="1.0" encoding="${charset}"?>\r\n<${root}>\r\n` +
    xmlFields([['CmdType', head.cmdType], ['SN', head.sn], ['DeviceID', head.deviceId], ...rest], '  ') +
    `</${root}>\r\n`
  );
}
