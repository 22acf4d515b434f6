/**
 * The few structured SIP header values a GB/T 28181 participant reads: Via
 * (branch, and received/rport, which tell a lower platform behind NAT the
 * address its upper platform sees), name-addr (From, To, Contact), CSeq and
 * the SIP URI. Pure; malformed input gives null, never an exception.
 */

export interface Via {
  transport: string;
  host: string;
  port: number | null;
  params: Map<string, string>;
}

/** `SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK..;rport=5060;received=1.2.3.4` */
export function parseVia(value: string): Via | null {
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(.*)$/i.exec(value.trim());
  if (!m) return null;
  const hp = splitHostPort(m[2]!);
  if (!hp) return null;
  return { transport: m[1]!.toUpperCase(), ...hp, params: parseParams(m[3]!) };
}

export function formatVia(v: Via): string {
  const params = [...v.params].map(([k, val]) => (val === '' ? `;${k}` : `;${k}=${val}`)).join('');
  return `SIP/2.0/${v.transport} ${v.host}${v.port === null ? '' : `:${v.port}`}${params}`;
}

export interface NameAddr {
  display: string;
  uri: string;
  params: Map<string, string>;
}

/** `"名称" <sip:3402000000132000001@3402000000;transport=udp>;tag=abc` or `sip:x@y;tag=abc`. */
export function parseNameAddr(value: string): NameAddr | null {
  const v = value.trim();
  const angle = /^(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^>]*)>(.*)$/.exec(v);
  if (angle) {
    const display = angle[1] !== undefined ? angle[1].replace(/\\(.)/g, '$1') : (angle[2] ?? '').trim();
    return { display, uri: angle[3]!.trim(), params: parseParams(angle[4]!) };
  }
  // addr-spec without brackets: parameters after the URI belong to the header (RFC 3261 §20.10).
  const semi = v.indexOf(';');
  const uri = semi < 0 ? v : v.slice(0, semi);
  if (!/^sips?:/i.test(uri)) return null;
  return { display: '', uri, params: parseParams(semi < 0 ? '' : v.slice(semi)) };
}

export function formatNameAddr(n: NameAddr): string {
  const params = [...n.params].map(([k, val]) => (val === '' ? `;${k}` : `;${k}=${val}`)).join('');
  const display = n.display ? `"${n.display.replace(/(["\\])/g, '\\$1')}" ` : '';
  return `${display}<${n.uri}>${params}`;
}

export interface SipUri {
  scheme: 'sip' | 'sips';
  user: string;
  host: string;
  port: number | null;
  params: Map<string, string>;
}

/** `sip:34020000001320000001@3402000000` or `sip:3402000000@192.168.1.10:5060;transport=tcp`. */
export function parseSipUri(value: string): SipUri | null {
  const m = /^(sips?):(?:([^@;]*)@)?([^;?]+)([^?]*)/i.exec(value.trim());
  if (!m) return null;
  const hp = splitHostPort(m[3]!);
  if (!hp) return null;
  return {
    scheme: m[1]!.toLowerCase() as 'sip' | 'sips',
    user: decodeURIComponentSafe(m[2] ?? ''),
    ...hp,
    params: parseParams(m[4]!),
  };
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string): CSeq | null {
  const m = /^\s*(\d{1,10})\s+([A-Za-z]+)\s*$/.exec(value);
  return m ? { seq: Number(m[1]), method: m[2]!.toUpperCase() } : null;
}

/** `;a=1;b;c="x"` → Map (names lowercased). */
export function parseParams(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of s.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    const k = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const val =
      eq < 0
        ? ''
        : p
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (k) out.set(k, val);
  }
  return out;
}

function splitHostPort(s: string): { host: string; port: number | null } | null {
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : null };
  const m = /^([A-Za-z0-9.\-_]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : null;
  if (port !== null && port > 65535) return null;
  return { host: m[1]!, port };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
