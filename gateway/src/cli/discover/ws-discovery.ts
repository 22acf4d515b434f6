import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { parseProbeMatches as parseMatches, probeMessage } from '@linli/drivers';

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

/** The probe's answers as the installer lists them: the drivers' parser (one WS-Discovery reader), plus where it came in. */
export function parseProbeMatches(xml: string, messageId: string, via: string): FoundCamera[] {
  return parseMatches(xml, `urn:uuid:${messageId}`).map(({ urn, xaddrs, scopes, name, hardware }) => ({
    endpoint: urn,
    xaddrs,
    scopes,
    name,
    hardware,
    via,
  }));
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
            sock.send(probeMessage(`urn:uuid:${id}`), to.port, to.host);
            setTimeout(finish, opts.listenMs);
          });
        }),
    ),
  );
  return [...found.values()];
}
