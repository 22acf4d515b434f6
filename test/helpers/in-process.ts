import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger as hubLogger, Hub, hashSecret, newSecret, openHubStore } from '@linli/dashboard';
import { createLogger, Outbox, type OutboxOptions, Uplink, type UplinkOptions } from '@linli/gateway';

export const LOCATION = { lng: 117.012, lat: 33.662, gridId: '341302001001001' };
/** What the test gateways declare to the hub (the hub accepts events only from declared devices). */
export const TEST_DEVICES = [
  { id: 'meter-01', type: 'water-meter', gridId: LOCATION.gridId },
  { id: 'sos-01', type: 'sos-button', gridId: LOCATION.gridId },
  { id: 'cam-01', type: 'camera', gridId: LOCATION.gridId },
];

/** A real hub (HTTP + Socket.IO + SQLite) on a loopback port, in this process. */
export async function startHub(gatewayId: string) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-hub-'));
  const store = await openHubStore({ dataDir: dir });
  const token = newSecret();
  await store.upsertGateway(gatewayId, hashSecret(token), '341302001001');
  const hub = new Hub({
    host: '127.0.0.1',
    port: 0,
    store,
    dataDir: dir,
    log: hubLogger('hub', 'silent'),
    city: 'demo',
  });
  const { port } = await hub.start();
  return { hub, store, token, url: `http://127.0.0.1:${port}`, port, dir };
}

export function makeOutbox(over: Partial<OutboxOptions> = {}) {
  return new Outbox({
    file: join(mkdtempSync(join(tmpdir(), 'linli-gw-')), 'buffer.sqlite'),
    gatewayId: 'gw-341302001001',
    synchronous: 'normal',
    ballastBytes: 0,
    location: LOCATION,
    ...over,
  });
}

/** An uplink whose log lines are kept for assertions. */
export function makeUplink(outbox: Outbox, opts: UplinkOptions) {
  const lines: string[] = [];
  const log = createLogger('uplink', 'debug', { write: (line: string) => void lines.push(line) });
  const uplink = new Uplink(
    outbox,
    {
      reconnectDelayMs: 50,
      reconnectDelayMaxMs: 200,
      statusIntervalMs: 1000,
      declaration: () => TEST_DEVICES,
      ...opts,
    },
    log,
  );
  return { uplink, lines };
}

export const meter = (n: number) => ({
  kind: 'meter.reading' as const,
  deviceId: 'meter-01',
  deviceTime: n,
  payload: { medium: 'water' as const, values: { n }, units: { n: 'count' } },
});
export const sos = (n: number) => ({
  kind: 'sos.call' as const,
  deviceId: 'sos-01',
  deviceTime: n,
  payload: { household: `H${n}` },
});
