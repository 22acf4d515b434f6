import { type DecodeResult, incomplete, invalid } from '../protocols/decode-result.js';

/**
 * SIP messages (RFC 3261 §7) as plain data, and their codec. Decoding never
 * throws and never reads past its input; it accepts what GB/T 28181 devices in
 * the field send: LF-only line ends, folded headers, compact names, any name
 * case, a padded or missing `Content-Length` on UDP. Encoding always writes
 * canonical names, CRLF and a correct `Content-Length`.
 */

export type SipHeader = readonly [name: string, value: string];

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeader[];
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

/** Header section limit: a longer one is not a SIP message we will ever need. */
export const MAX_HEADER_BYTES = 16_384;
/** Body limit: a Catalog page is a few kB; a whole NVR in one page stays well under this. */
export const MAX_BODY_BYTES = 262_144;

const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event',
  u: 'Allow-Events',
  r: 'Refer-To',
  x: 'Session-Expires',
};

const SPECIAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'content-id': 'Content-ID',
};

/** Names seen so far and their canonical spelling (bounded: a peer sending random names cannot grow it). */
const canonicalCache = new Map<string, string>();

/** The canonical spelling of a header name (compact forms expanded, any case accepted). */
export function canonicalName(name: string): string {
  const cached = canonicalCache.get(name);
  if (cached !== undefined) return cached;
  const canonical = spell(name);
  if (canonicalCache.size < 512) canonicalCache.set(name, canonical);
  return canonical;
}

function spell(name: string): string {
  const lower = name.trim().toLowerCase();
  const compact = COMPACT[lower];
  if (compact) return compact;
  const special = SPECIAL[lower];
  if (special) return special;
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** The first value of a header, or undefined. */
export function header(m: { headers: readonly SipHeader[] }, name: string): string | undefined {
  const want = canonicalName(name);
  return m.headers.find(([n]) => n === want)?.[1];
}

/** Every value of a header, comma-separated lists split (for Via, Contact, Route and the like). */
export function headerList(m: { headers: readonly SipHeader[] }, name: string): string[] {
  const want = canonicalName(name);
  return m.headers.filter(([n]) => n === want).flatMap(([, v]) => splitTopLevel(v));
}

/** Splits on commas outside quotes and angle brackets. */
export function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

export interface DecodeOptions {
  /**
   * `stream` (TCP): `Content-Length` frames the message and the input may hold
   * several; `datagram` (UDP): the input is one message, its body runs to the
   * end unless `Content-Length` says it is shorter.
   */
  framing: 'stream' | 'datagram';
}

const TOKEN = /^[!%*+.\-_`'~0-9A-Za-z]+$/;

/** Decodes one SIP message from the start of `input`. */
export function decodeSip(input: Uint8Array, o: DecodeOptions): DecodeResult<SipMessage> {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // Leading CRLFs are keep-alives (RFC 5626) or stray line ends between messages on a stream.
  let start = 0;
  while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++;
  if (start === buf.length) return start === 0 ? incomplete(1) : invalid('blank lines (keep-alive)', start);
  const end = headerEnd(buf, start);
  if (end === null) {
    if (buf.length - start > MAX_HEADER_BYTES)
      return invalid(`no end of headers within ${MAX_HEADER_BYTES} bytes`, buf.length);
    if (o.framing === 'datagram') return invalid('datagram ends inside the headers', buf.length);
    return incomplete(buf.length + 1);
  }
  if (end.headersEnd - start > MAX_HEADER_BYTES) return invalid('header section too long', end.bodyStart);
  // Header values are UTF-8 (RFC 3261 §25.1; Chinese display names come that way); bytes that are not
  // UTF-8 become U+FFFD rather than an error.
  const head = buf.toString('utf8', start, end.headersEnd);
  const lines = unfold(head.split(/\r?\n/));
  const first = lines.shift() ?? '';
  const startLine = parseStartLine(first);
  if (!startLine.ok) return invalid(startLine.reason, end.bodyStart);
  const headers: SipHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const rawName = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(rawName)) return invalid(`bad header line "${line.slice(0, 40)}"`, end.bodyStart);
    headers.push([canonicalName(rawName), line.slice(colon + 1).trim()]);
  }
  const lengthText = headers.find(([n]) => n === 'Content-Length')?.[1];
  let length: number | null = null;
  if (lengthText !== undefined) {
    // Devices pad it ("Content-Length:    120", "0000000120"); anything else is not a length.
    if (!/^\d{1,10}$/.test(lengthText)) return invalid(`bad Content-Length "${lengthText}"`, end.bodyStart);
    length = Number(lengthText);
    if (length > MAX_BODY_BYTES) return invalid(`body of ${length} bytes is over the limit`, end.bodyStart);
  }
  const available = buf.length - end.bodyStart;
  let bodyLength: number;
  if (o.framing === 'stream') {
    bodyLength = length ?? 0;
    if (available < bodyLength) return incomplete(end.bodyStart + bodyLength);
  } else {
    // On UDP the datagram bounds the message; a Content-Length larger than what arrived is the device's
    // mistake (padded value, counted with the XML declaration it then dropped): keep what did arrive.
    bodyLength = length === null ? available : Math.min(length, available);
    if (bodyLength > MAX_BODY_BYTES) return invalid('datagram body over the limit', buf.length);
  }
  const body = Buffer.from(buf.subarray(end.bodyStart, end.bodyStart + bodyLength));
  const consumed = o.framing === 'stream' ? end.bodyStart + bodyLength : buf.length;
  const message: SipMessage =
    startLine.kind === 'request'
      ? { kind: 'request', method: startLine.method, uri: startLine.uri, headers, body }
      : { kind: 'response', status: startLine.status, reason: startLine.reason, headers, body };
  return { ok: true, value: message, consumed };
}

function headerEnd(buf: Buffer, from: number): { headersEnd: number; bodyStart: number } | null {
  for (let i = buf.indexOf(0x0a, from); i >= 0 && i < buf.length - 1; i = buf.indexOf(0x0a, i + 1)) {
    if (buf[i + 1] === 0x0a) return { headersEnd: i, bodyStart: i + 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { headersEnd: i, bodyStart: i + 3 };
  }
  return null;
}

/** Joins folded lines (a line starting with space or tab continues the one before, RFC 3261 §7.3.1). */
function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const c = line.charCodeAt(0);
    if ((c === 0x20 || c === 0x09) && out.length > 1) out[out.length - 1] += ' ' + line.trim();
    else if (line.length) out.push(line);
  }
  return out;
}

type StartLine =
  | { ok: true; kind: 'request'; method: string; uri: string }
  | { ok: true; kind: 'response'; status: number; reason: string }
  | { ok: false; reason: string };

function parseStartLine(line: string): StartLine {
  const resp = /^SIP\/2\.0[ \t]+(\d{3})(?:[ \t]+(.*))?$/i.exec(line);
  if (resp) {
    const status = Number(resp[1]);
    if (status < 100 || status > 699) return { ok: false, reason: `status ${status} out of range` };
    return { ok: true, kind: 'response', status, reason: resp[2] ?? '' };
  }
  const req = /^([!%*+.\-_`'~0-9A-Za-z]+)[ \t]+(\S+)[ \t]+SIP\/2\.0$/i.exec(line);
  if (req) return { ok: true, kind: 'request', method: req[1]!.toUpperCase(), uri: req[2]! };
  return { ok: false, reason: `not a SIP start line: "${line.slice(0, 60)}"` };
}

/** Serialises a message: canonical names, CRLF, a `Content-Length` that matches the body. */
export function encodeSip(m: SipMessage): Buffer {
  const first = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const lines = [first];
  for (const [name, value] of m.headers) {
    const n = canonicalName(name);
    if (n !== 'Content-Length') lines.push(`${n}: ${value}`);
  }
  lines.push(`Content-Length: ${m.body.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), m.body]);
}
