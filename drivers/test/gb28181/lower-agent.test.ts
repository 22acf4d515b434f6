import { afterEach, describe, expect, it } from 'vitest';
import { LowerAgent, type LowerAgentOptions } from '../../src/gb28181/lower-agent.js';
import { catalogResponsePages, type CatalogItem } from '../../src/gb28181/manscdp-messages.js';
import { GbPlatformSimulator } from '../../src/sim/gb-platform-sim.js';
import { startRelay } from './relay.js';
import { until } from './until.js';

const SERVER = '34020000002000000001';
const GATEWAY = '34130200002000000001';
const timers = { t1Ms: 40, t2Ms: 160 };
const cameras: CatalogItem[] = Array.from({ length: 5 }, (_, i) => ({
  deviceId: `3413020000132000000${i + 1}`,
  name: `南门摄像机${i + 1}`,
  civilCode: '341302',
  status: 'ON',
}));

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

async function platform(o: Partial<ConstructorParameters<typeof GbPlatformSimulator>[0]> = {}) {
  const p = new GbPlatformSimulator({
    id: SERVER,
    domain: '3402000000',
    password: 'right-pw',
    keepaliveTimeoutMs: 600,
    timers,
    ...o,
  });
  await p.start();
  stops.push(() => p.stop());
  return p;
}

function agent(p: GbPlatformSimulator, transport: 'UDP' | 'TCP', o: Partial<LowerAgentOptions> = {}) {
  const a = new LowerAgent({
    deviceId: GATEWAY,
    serverId: SERVER,
    serverDomain: '3402000000',
    serverHost: '127.0.0.1',
    serverPort: p.port,
    transport,
    password: 'right-pw',
    expiresS: 3600,
    keepaliveS: 0.1,
    keepaliveMisses: 2,
    charset: 'GB2312',
    bindHost: '127.0.0.1',
    timers,
    backoffMaxMs: 300,
    answer: (q) => (q.cmdType === 'Catalog' ? catalogResponsePages(GATEWAY, q.sn, cameras, 2, 'GB2312') : []),
    ...o,
  });
  a.start();
  stops.push(() => a.stop());
  return a;
}

describe.each(['UDP', 'TCP'] as const)(
  'lower platform registration over %s, against the platform simulator',
  (transport) => {
    it('a wrong password is refused and named; the right one (re-read from its source) registers', async () => {
      const p = await platform();
      let password = 'wrong-pw';
      const refused: string[] = [];
      p.on('refused', (id) => refused.push(id));
      const a = agent(p, transport, { password: () => password });
      await until(() => a.status().lastError?.includes('wrong password'), 'the wrong-password error');
      expect(a.status().state).not.toBe('registered');
      expect(refused).toContain(GATEWAY);
      expect(p.devices.get(GATEWAY)).toBeUndefined();
      password = 'right-pw';
      await until(() => a.status().state === 'registered', 'registration');
      expect(p.devices.get(GATEWAY)?.online).toBe(true);
    });

    it('re-registers before expiry and answers a paged Catalog', async () => {
      const p = await platform({ maxExpiresS: 2 });
      const a = agent(p, transport, { gbVersion: '3.0' });
      await until(() => (p.devices.get(GATEWAY)?.registrations ?? 0) >= 2, 'a refresh within the granted 2 s');
      expect(a.status().state).toBe('registered');
      expect(p.devices.get(GATEWAY)?.gbVersion).toBe('3.0');
      const items = await p.catalog(GATEWAY);
      expect(items.map((i) => i.name).sort()).toEqual(cameras.map((c) => c.name));
      expect(p.devices.get(GATEWAY)?.online).toBe(true);
    });

    it('the platform restarts → the agent registers again; a clean stop unregisters', async () => {
      const p = await platform();
      const a = agent(p, transport);
      await until(() => p.devices.get(GATEWAY)?.online, 'registration');
      const before = a.status().registrations;
      const from = p.devices.get(GATEWAY)!.peer.port;
      await p.restart();
      await until(
        () => p.devices.get(GATEWAY)?.online && a.status().registrations > before,
        're-registration after the restart',
      );
      expect(a.status().lastError).toMatch(/keepalive refused|closed by the upper platform|unanswered/);
      // Over UDP the agent registers again from the port it had, as a device keeps its SIP port.
      if (transport === 'UDP') expect(p.devices.get(GATEWAY)!.peer.port).toBe(from);
      await a.stop();
      expect(p.devices.get(GATEWAY)).toBeUndefined();
    });

    it('keepalives lost on a cut link → offline at the platform; the link back → registered again', async () => {
      const p = await platform();
      const relay = await startRelay(p.port);
      stops.push(() => relay.stop());
      const offline: string[] = [];
      p.on('offline', (id, why) => offline.push(`${id}:${why}`));
      const a = agent(p, transport, { serverPort: relay.port });
      await until(() => p.devices.get(GATEWAY)?.online && a.status().state === 'registered', 'registration');
      // Through the relay the platform sees another source port, as behind NAT: the agent registers that address.
      const seen = p.devices.get(GATEWAY)!;
      if (transport === 'UDP') {
        expect(a.status().publicAddress).toBe(`127.0.0.1:${seen.peer.port}`);
        expect(seen.contact).toBe(`sip:${GATEWAY}@127.0.0.1:${seen.peer.port}`);
      }
      expect(await p.catalog(GATEWAY)).toHaveLength(cameras.length);
      relay.cut = true;
      await until(() => offline.includes(`${GATEWAY}:keepalive`), 'the platform marking the gateway offline');
      await until(() => a.status().state !== 'registered', 'the agent noticing');
      expect(a.status().lastError).toMatch(/unanswered|无应答|closed/);
      relay.cut = false;
      await until(
        () => p.devices.get(GATEWAY)?.online && a.status().state === 'registered',
        'registration after the link came back',
      );
      expect(p.devices.get(GATEWAY)!.registrations).toBeGreaterThan(seen.registrations);
    });
  },
);
