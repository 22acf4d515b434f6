import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRegistry, GbPlatformSimulator } from '@linli/drivers';
import { Controller, createLogger, loadConfig, type Logger } from '@linli/gateway';

/**
 * What every GB/T 28181 gateway test sets up the same way: the upper-platform
 * simulator over loopback UDP (short SIP timers), and a real gateway from a
 * real gateway.yaml in a temporary directory (token and passwords in 0600
 * files) registering to it. Each test gives only what it is about: its
 * devices, its secrets, and its extra `gb28181:` settings.
 */
export const GW = 'gw-341302001001';
export const GRID = '341302001001001';
/** The gateway's own GB/T 28181 code (a lower platform, type 200). */
export const GB_GW = '34130200002000000001';
/** The upper platform the gateway registers to. */
export const GB_UP = '34130000002000000001';
const UP_DOMAIN = '3413000000';
const UP_PASSWORD = 'Gb-pw-30817';

type Cleanup = (() => Promise<void> | void)[];

export async function startUpperPlatform(cleanup: Cleanup): Promise<GbPlatformSimulator> {
  const platform = new GbPlatformSimulator({
    id: GB_UP,
    domain: UP_DOMAIN,
    password: UP_PASSWORD,
    keepaliveTimeoutMs: 3000,
    timers: { t1Ms: 50, t2Ms: 400 },
  });
  await platform.start();
  cleanup.push(() => platform.stop());
  return platform;
}

/** A GB/T 28181 camera or NVR that registers to the gateway's listener on `downPort` (device YAML, one list item). */
export function downwardCameraYaml(o: {
  id: string;
  deviceId: string;
  downPort: number;
  lng: number;
  /** More `transport:` lines, each starting with a newline and six spaces. */
  transport?: string;
  /** More device lines, each starting with a newline and four spaces. */
  device?: string;
}): string {
  return `
  - id: ${o.id}
    type: gb28181-camera
    timeoutMs: 15000
    transport:
      kind: gb28181
      deviceId: "${o.deviceId}"
      server: { id: "${GB_GW}", host: 127.0.0.1, port: ${o.downPort} }
      passwordFile: ./secrets/cams.pw
      keepaliveS: 0.5
      keepaliveMisses: 3${o.transport ?? ''}${o.device ?? ''}
    location: { lng: ${o.lng}, lat: 33.65, gridId: "${GRID}" }`;
}

export interface GbGatewayOptions {
  hub: { url: string; token: string };
  platform: GbPlatformSimulator;
  /** File name under secrets/ → its content (the upper platform's password is always there, as gb.pw). */
  secrets: Record<string, string>;
  /** Extra `gb28181:` lines, e.g. ['maxStreams: 1']. */
  gb?: string[];
  /** The `devices:` list items. */
  devices: string;
  log?: Logger;
  cleanup: Cleanup;
}

export async function startGbGateway(o: GbGatewayOptions): Promise<Controller> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-gbgw-'));
  mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
  writeFileSync(join(dir, 'gateway.token'), o.hub.token, { mode: 0o600 });
  for (const [file, content] of Object.entries({ ...o.secrets, 'gb.pw': UP_PASSWORD }))
    writeFileSync(join(dir, 'secrets', file), `${content}\n`, { mode: 0o600 });
  const gb = ['keepaliveS: 0.3', 't1Ms: 50', ...(o.gb ?? [])].map((l) => `\n  ${l}`).join('');
  writeFileSync(
    join(dir, 'gateway.yaml'),
    `version: 1
gateway: { id: ${GW}, name: 韩池孜社区, community: "341302001001" }
dataDir: ./state
hub: { url: "${o.hub.url}", tokenFile: ./gateway.token }
gb28181:
  id: "${GB_GW}"
  passwordFile: ./secrets/gb.pw
  upper: { id: "${GB_UP}", domain: "${UP_DOMAIN}", host: 127.0.0.1, port: ${o.platform.port}, transport: udp }${gb}
devices:${o.devices}
`,
  );
  const registry = builtinRegistry();
  const gw = new Controller(
    loadConfig(join(dir, 'gateway.yaml'), registry),
    registry,
    o.log ?? createLogger('gateway', 'silent'),
  );
  o.cleanup.push(() => gw.stop());
  await gw.start();
  return gw;
}
