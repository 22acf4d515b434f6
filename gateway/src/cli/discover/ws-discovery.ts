import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';

export const WS_DISCOVERY_ADDRESS = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface FoundCamera {
  /** The device's endpoint reference (urn:uuid:…), stable across reboots. */
  endpoint: string;
  /** ONVIF device service URLs. */
  xaddrs: string[];
  scopes: string[];
  /** From the onvif://www.onvif.org/name/ and /hardware/ scopes, when present. */
  name: string | null;
  hardware: string | null;
  /** The local address the probe went out on. */
  via: string;
}

/** A WS-Discovery Probe for ONVIF video transmitters (WS-Discovery 2005/04, as ONVIF Core §7.3 uses it). */
export function probeMessage(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"' +
    ' xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"' +
    ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"' +
    ' xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<s:Header>' +
    `<a:MessageID>urn:uuid:${messageId}</a:MessageID>` +
    '<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    '</s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>' +
    '</s:Envelope>'
  );
}

const text = (xml: string, local: string): string[] =>
  [...xml.matchAll(new RegExp(`<(?:[\\w-]+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${local}>`, 'g'))].map((m) =>
    m[1]!.trim(),
  );

/**
 * ProbeMatches → cameras. Only replies to our own probe count (RelatesTo is
 * our MessageID): other discovery traffic on a busy LAN is not an answer.
 * XML is read with patterns for the few flat text elements needed; nothing
 * in it is evaluated.
 */
export function parseProbeMatches(xml: string, messageId: string, via: string): FoundCamera[] {
  if (!/ProbeMatches/.test(xml)) return [];
  const related = text(xml, 'RelatesTo')[0];
  if (related !== undefined && related !== `urn:uuid:${messageId}`) return [];
  const out: FoundCamera[] = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?ProbeMatch(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w-]+:)?ProbeMatch>/g)) {
    const body = m[1]!;
    const endpoint = text(body, 'Address')[0] ?? '';
    const xaddrs = (text(body, 'XAddrs')[0] ?? '').split(/\s+/).filter((u) => /^https?:\/\//.test(u));
    const scopes = (text(body, 'Scopes')[0] ?? '').split(/\s+/).filter(Boolean);
    const scope = (kind: string) => {
      const s = scopes.find((x) => x.startsWith(`onvif://www.onvif.org/${kind}/`));
      return s ? decodeURIComponent(s.slice(`onvif://www.onvif.org/${kind}/`.length)) : null;
    };
    if (!xaddrs.length) continue;
    out.push({ endpoint, xaddrs, scopes, name: scope('name'), hardware: scope('hardware'), via });
  }
  return out;
}

/** Non-internal IPv4 addresses with their interface names: where multicast probes go out. */
export function probeInterfaces(choice?: string): { name: string; address: string }[] {
  const all = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ name, address: a.address, internal: a.internal })),
  );
  if (choice) {
    const picked = all.filter((a) => a.name === choice || a.address === choice);
    if (!picked.length)
      throw new Error(
        `--interface ${choice}: no such IPv4 interface; have ${all.map((a) => `${a.name} (${a.address})`).join(', ')}`,
      );
    return picked.map(({ name, address }) => ({ name, address }));
  }
  return all.filter((a) => !a.internal).map(({ name, address }) => ({ name, address }));
}

/**
 * Sends one Probe from each chosen interface (to the multicast group, or to
 * `target` for a directed probe across routers) and gathers ProbeMatches for
 * `listenMs`. Cameras seen on two interfaces are listed once.
 */
export async function discoverOnvif(opts: {
  interfaces: { name: string; address: string }[];
  listenMs: number;
  target?: { host: string; port: number };
  progress: (msg: string) => void;
}): Promise<FoundCamera[]> {
  const found = new Map<string, FoundCamera>();
  await Promise.all(
    opts.interfaces.map(
      (itf) =>
        new Promise<void>((resolve) => {
          const id = randomUUID();
          const sock = createSocket({ type: 'udp4', reuseAddr: true });
          const finish = () => {
            sock.close();
            resolve();
          };
          sock.on('error', (err) => {
            opts.progress(`  onvif: cannot probe on ${itf.name} (${itf.address}): ${err.message}`);
            finish();
          });
          sock.on('message', (msg, rinfo) => {
            for (const cam of parseProbeMatches(msg.toString('utf8'), id, itf.name)) {
              const key = cam.endpoint || cam.xaddrs[0]!;
              if (!found.has(key))
                opts.progress(`  onvif: camera ${cam.name ?? ''} at ${cam.xaddrs[0]} (from ${rinfo.address})`);
              found.set(key, cam);
            }
          });
          sock.bind(0, itf.address, () => {
            const to = opts.target ?? { host: WS_DISCOVERY_ADDRESS, port: WS_DISCOVERY_PORT };
            if (!opts.target) {
              sock.setMulticastInterface(itf.address);
              sock.setMulticastTTL(1); // stay on this segment, as the spec asks
            }
            opts.progress(`  onvif: probing from ${itf.name} (${itf.address}) …`);
            sock.send(probeMessage(id), to.port, to.host);
            setTimeout(finish, opts.listenMs);
          });
        }),
    ),
  );
  return [...found.values()];
}
