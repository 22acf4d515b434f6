import { afterEach, describe, expect, it } from 'vitest';
import { CatalogSubscriptions } from '../../src/gb28181/catalog-subscriptions.js';
import { LowerAgent } from '../../src/gb28181/lower-agent.js';
import { GbPlatformSimulator } from '../../src/sim/gb-platform-sim.js';
import { until } from './until.js';

const SERVER = '34020000002000000001';
const GATEWAY = '34130200002000000001';
const CHANNEL = '34130200001320000001';
const timers = { t1Ms: 50, t2Ms: 400 };
const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

describe.each(['UDP', 'TCP'] as const)('catalog subscription over %s', (transport) => {
  it('SUBSCRIBE is granted; a channel going off line reaches the platform as a NOTIFY; Expires 0 ends it', async () => {
    const p = new GbPlatformSimulator({
      id: SERVER,
      domain: '3402000000',
      password: 'pw-sub',
      keepaliveTimeoutMs: 5000,
      timers,
    });
    await p.start();
    stops.push(() => p.stop());
    let agent: LowerAgent | null = null;
    const subs = new CatalogSubscriptions({
      deviceId: GATEWAY,
      charset: 'GB2312',
      maxExpiresS: 3600,
      identity: () => agent?.identity() ?? null,
      send: (req) => agent!.request(req),
    });
    agent = new LowerAgent({
      ...{
        deviceId: GATEWAY,
        serverId: SERVER,
        serverDomain: '3402000000',
        serverHost: '127.0.0.1',
        serverPort: p.port,
      },
      ...{ transport, password: 'pw-sub', expiresS: 3600, keepaliveS: 1, keepaliveMisses: 3, charset: 'GB2312' },
      ...{ bindHost: '127.0.0.1', timers, answer: () => [] },
      handle: (req) => subs.handle(req),
    });
    agent.start();
    stops.push(() => agent!.stop());
    await until(() => agent!.status().state === 'registered', 'registration');
    const changes: { deviceId: string; event: string }[][] = [];
    p.on('catalogChange', (_id, items) => changes.push(items));

    const sub = await p.subscribeCatalog(GATEWAY, 600);
    expect(sub.status).toBe(200);
    expect(subs.count()).toBe(1);
    const item = { deviceId: CHANNEL, name: '东门', civilCode: '341302', status: 'OFF' as const };
    expect(await subs.notify([{ ...item, event: 'OFF' }])).toBe(1);
    await until(() => changes.length === 1, 'the NOTIFY at the platform');
    expect(changes[0]).toEqual([{ deviceId: CHANNEL, event: 'OFF' }]);

    expect((await p.subscribeCatalog(GATEWAY, 0, sub.callId)).status).toBe(200);
    expect(subs.count()).toBe(0);
    expect(await subs.notify([{ ...item, status: 'ON', event: 'ON' }])).toBe(0);
  });
});
