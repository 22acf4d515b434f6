import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { LinliError } from '@linli/contract';

export interface DiscoveredCamera {
  /** The device's WS-Discovery endpoint reference (urn:uuid:…), stable across address changes. */
  urn: string;
  /** Device service URLs it announced. */
  xaddrs: string[];
  host: string;
  port: number;
  name: string | null;
  hardware: string | null;
}

export interface DiscoverOptions {
  /** Send from this interface's IPv4 address (e.g. eth1, the camera VLAN). */
  interface?: string;
  timeoutMs: number;
  /** Probe these addresses directly as well as the multicast group (a device on another subnet, a simulator). */
  targets?: { host: string; port: number }[];
  /** Skip the multicast probe (tests on loopback). */
  multicast?: boolean;
}

const GROUP = '239.255.255.250';
const PORT = 3702;

/** A WS-Discovery Probe for ONVIF video transmitters (WS-Discovery 2005/04, as ONVIF Core §7.3 uses it). */
export function probeMessage(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>' +
    `<a:MessageID>${messageId}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

/**
 * WS-Discovery probe for NetworkVideoTransmitters, for the installer. Sends
 * the same Probe as the `onvif` library, to the multicast group and to any
 * unicast targets, and collects ProbeMatches until the timeout.
 */
export async function discoverCameras(opts: DiscoverOptions): Promise<DiscoveredCamera[]> {
  let bindAddress: string | undefined;
  if (opts.interface) {
    bindAddress = networkInterfaces()[opts.interface]?.find((a) => a.family === 'IPv4')?.address;
    if (!bindAddress) throw new LinliError('CONFIG', `network interface ${opts.interface} has no IPv4 address`);
  }
  const messageId = `urn:uuid:${randomUUID()}`;
  const probe = Buffer.from(probeMessage(messageId));
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const found = new Map<string, DiscoveredCamera>();
  socket.on('message', (msg) => {
    const cam = parseProbeMatch(msg.toString('utf8'), messageId);
    if (cam && !found.has(cam.urn)) found.set(cam.urn, cam);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, bindAddress, () => resolve());
    });
    socket.on('error', () => {}); // late ICMP errors from unicast targets are not fatal
    const sends: [string, number][] = (opts.targets ?? []).map((t) => [t.host, t.port]);
    if (opts.multicast !== false) sends.push([GROUP, PORT]);
    for (const [host, port] of sends) socket.send(probe, port, host);
    await new Promise((r) => setTimeout(r, opts.timeoutMs));
  } finally {
    socket.close();
  }
  return [...found.values()];
}

/** One ProbeMatch: the endpoint (urn:uuid:…, may be empty), its HTTP(S) service URLs, its scopes. */
export interface ProbeMatch {
  urn: string;
  xaddrs: string[];
  scopes: string[];
  /** From the onvif://www.onvif.org/name/ and /hardware/ scopes, when present. */
  name: string | null;
  hardware: string | null;
}

const texts = (xml: string, local: string): string[] =>
  [...xml.matchAll(new RegExp(`<(?:[\\w-]+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${local}>`, 'g'))].map((m) =>
    m[1]!.trim(),
  );

/**
 * Every ProbeMatch of a ProbeMatches answer to our probe (RelatesTo is our
 * MessageID: other discovery traffic on a busy LAN is not an answer). The few
 * flat text elements needed are read with patterns; nothing is evaluated. Pure.
 * The installer's multi-interface scan (gateway/src/cli/discover/ws-discovery.ts) reads answers with it too.
 */
export function parseProbeMatches(xml: string, messageId: string): ProbeMatch[] {
  if (!/<(?:[\w-]+:)?ProbeMatches\b/.test(xml)) return [];
  const related = texts(xml, 'RelatesTo')[0];
  if (related !== undefined && related !== messageId) return [];
  const out: ProbeMatch[] = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?ProbeMatch(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w-]+:)?ProbeMatch>/g)) {
    const body = m[1]!;
    const xaddrs = (texts(body, 'XAddrs')[0] ?? '').split(/\s+/).filter((u) => /^https?:\/\//.test(u));
    const scopes = (texts(body, 'Scopes')[0] ?? '').split(/\s+/).filter(Boolean);
    const scope = (key: string) => {
      const s = scopes.find((x) => x.startsWith(`onvif://www.onvif.org/${key}/`));
      return s ? decodeURIComponent(s.slice(`onvif://www.onvif.org/${key}/`.length)) : null;
    };
    if (!xaddrs.length) continue;
    out.push({
      urn: texts(body, 'Address')[0] ?? '',
      xaddrs,
      scopes,
      name: scope('name'),
      hardware: scope('hardware'),
    });
  }
  return out;
}

/** The first camera of an answer to our probe that names its endpoint and a reachable URL; null for anything else. Pure. */
export function parseProbeMatch(xml: string, messageId: string): DiscoveredCamera | null {
  const first = parseProbeMatches(xml, messageId).find((m) => m.urn);
  if (!first) return null;
  let url: URL;
  try {
    url = new URL(first.xaddrs[0]!);
  } catch {
    // A ProbeMatch without a usable address is not a camera we can reach: skipped.
    return null;
  }
  return {
    urn: first.urn,
    xaddrs: first.xaddrs,
    host: url.hostname,
    port: Number(url.port || 80),
    name: first.name,
    hardware: first.hardware,
  };
}
