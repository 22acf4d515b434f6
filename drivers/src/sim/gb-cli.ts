import { readFileSync } from 'node:fs';
import { LowerAgent } from '../gb28181/lower-agent.js';
import { alarmXml, catalogResponsePages, deviceInfoXml, type CatalogItem } from '../gb28181/manscdp-messages.js';
import { gbIdProblem } from '../gb28181/gb-id.js';
import { GbPlatformSimulator } from './gb-platform-sim.js';

/**
 * `linli-sim --gb-platform` (an upper platform that prints what reaches it, one
 * JSON line per event) and `linli-sim --gb-device` (a camera or NVR that
 * registers to a platform and lists its channels): demos, training and tests.
 */
export interface GbSimArgs {
  host: string;
  port: number;
  /** --gb-platform: the platform's code; --gb-device: the device's code. */
  id: string;
  domain?: string;
  passwordFile?: string;
  /** --gb-device: `SERVERID@HOST:PORT`. */
  server?: string;
  transport: 'udp' | 'tcp';
  channels: number;
  keepaliveS: number;
}

function password(file: string | undefined): string {
  // No default password, ever: it comes from a file the operator wrote.
  if (!file) throw new Error('GB/T 28181 simulators need --password-file (no default password)');
  const pw = readFileSync(file, 'utf8').trim();
  if (!pw) throw new Error(`--password-file ${file} is empty`);
  return pw;
}

export async function startGbPlatform(a: GbSimArgs): Promise<{ port: number; stop: () => Promise<void> }> {
  const problem = gbIdProblem(a.id, 'server');
  if (problem) throw new Error(`--gb-id ${problem}`);
  const sim = new GbPlatformSimulator({
    id: a.id,
    domain: a.domain ?? a.id.slice(0, 10),
    host: a.host,
    port: a.port,
    password: password(a.passwordFile),
    keepaliveTimeoutMs: a.keepaliveS * 3000,
  });
  const say = (o: object) => console.log(JSON.stringify({ at: new Date().toISOString(), ...o }));
  sim.on('registered', (d) => say({ event: 'registered', id: d.id, peer: d.peer, registrations: d.registrations }));
  sim.on('unregistered', (id) => say({ event: 'unregistered', id }));
  sim.on('offline', (id, why) => say({ event: 'offline', id, why }));
  sim.on('refused', (id, why) => say({ event: 'refused', id, why }));
  sim.on('alarm', (alarm) => say({ event: 'alarm', ...alarm }));
  sim.on('catalogChange', (id, items) => say({ event: 'catalogChange', id, items }));
  sim.on('registered', (d) => {
    // Asking for the catalog at once is what platforms do; the answer is printed for the operator.
    if (d.registrations === 1)
      void sim
        .catalog(d.id)
        .then((items) => say({ event: 'catalog', id: d.id, items }))
        // Then follow its channels going on and off line, as a platform's channel list does.
        .then(() => sim.subscribeCatalog(d.id, 3600))
        .catch(() => undefined);
  });
  await sim.start();
  return { port: sim.port, stop: () => sim.stop() };
}

export async function startGbDevice(
  a: GbSimArgs,
): Promise<{ stop: () => Promise<void>; alarm: (kind: 'motion' | 'tamper') => void }> {
  const m = /^(\d{20})@([^:]+):(\d{1,5})$/.exec(a.server ?? '');
  if (!m) throw new Error('--gb-device needs --server SERVERID@HOST:PORT');
  const problem = gbIdProblem(a.id, 'device');
  if (problem) throw new Error(`--gb-device ${problem}`);
  const channels: CatalogItem[] = Array.from({ length: a.channels }, (_, i) => ({
    deviceId: `${a.id.slice(0, 10)}132${a.id.slice(13, 14)}${String(i + 1).padStart(6, '0')}`,
    name: `通道${i + 1}`,
    civilCode: a.id.slice(0, 6),
    parentId: a.id,
    status: 'ON',
  }));
  const agent = new LowerAgent({
    deviceId: a.id,
    serverId: m[1]!,
    serverDomain: a.domain ?? m[1]!.slice(0, 10),
    serverHost: m[2]!,
    serverPort: Number(m[3]),
    transport: a.transport === 'tcp' ? 'TCP' : 'UDP',
    password: password(a.passwordFile),
    expiresS: 3600,
    keepaliveS: a.keepaliveS,
    keepaliveMisses: 3,
    charset: 'GB2312',
    bindHost: a.host,
    answer: (q) =>
      q.cmdType === 'Catalog'
        ? catalogResponsePages(a.id, q.sn, channels, 10, 'GB2312')
        : q.cmdType === 'DeviceInfo'
          ? [
              deviceInfoXml(
                a.id,
                q.sn,
                {
                  deviceName: 'Linli NVR',
                  manufacturer: 'Linli',
                  model: 'SIM-NVR',
                  firmware: '1.0',
                  channels: a.channels,
                },
                'GB2312',
              ),
            ]
          : [],
    onState: (s) => console.log(JSON.stringify({ at: new Date().toISOString(), event: 'state', ...s })),
  });
  agent.start();
  // SIGUSR1 / SIGUSR2 (cli.ts) raise a video motion alarm (method 5 type 2) or a tamper alarm (method 2 type 2)
  // on the first channel, as the ONVIF camera simulator injects motion and tamper.
  const alarm = (kind: 'motion' | 'tamper') => {
    const motion = kind === 'motion';
    const xml = alarmXml(
      agent.nextSn(),
      {
        deviceId: channels[0]?.deviceId ?? a.id,
        priority: motion ? 3 : 2,
        method: motion ? 5 : 2,
        alarmType: 2,
        time: new Date(),
        description: motion ? '运动目标检测' : '设备防拆',
      },
      'GB2312',
    );
    void agent
      .notify(xml)
      .then((ok) => console.log(JSON.stringify({ at: new Date().toISOString(), event: 'alarm', kind, ok })));
  };
  return { stop: () => agent.stop(), alarm };
}
