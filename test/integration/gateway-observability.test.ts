import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCATION, makeOutbox, makeUplink, meter, startHub } from '../helpers/in-process.js';
import {
  freePort,
  GATEWAY_CLI,
  HUB_CLI,
  hubCli,
  node,
  ready,
  SIM_CLI,
  until,
  untilAsync,
  cockpitToken,
} from '../helpers/processes.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('gateway observability', () => {
  it('exposes buffer, uplink and devices on /healthz and /metrics, and reports them to the hub', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-obs-'));
    const GW = 'gw-341302001001';
    const hubData = join(dir, 'hub');
    const token = hubCli(hubData, ['gateway', 'add', '--id', GW, '--area', '341302001001']);
    const key = cockpitToken(hubData);
    const hubPort = await freePort();
    const hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort)]);
    cleanup.push(() => hub.stop());
    await ready(hub, 'hub');
    const simPort = await freePort();
    const sim = node(SIM_CLI, ['--port', String(simPort), '--unit', '1=energy-meter-3p']);
    cleanup.push(() => sim.stop());
    await ready(sim, 'simulator');
    mkdirSync(join(dir, 'gw'));
    writeFileSync(join(dir, 'gw', 'gateway.token'), token, { mode: 0o600 });
    const httpPort = await freePort();
    writeFileSync(
      join(dir, 'gw', 'gateway.yaml'),
      `version: 1
gateway: { id: ${GW}, community: "341302001001" }
dataDir: ./state
hub: { url: "http://127.0.0.1:${hubPort}", tokenFile: ./gateway.token }
http: { host: 127.0.0.1, port: ${httpPort} }
devices:
  - id: meter-01
    type: energy-meter-3p
    pollMs: 300
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`,
    );
    const gw = node(GATEWAY_CLI, ['run', '--config', join(dir, 'gw', 'gateway.yaml')]);
    cleanup.push(() => gw.stop());
    const base = `http://127.0.0.1:${httpPort}`;
    const h = await untilAsync(async () => {
      const j = (await (await fetch(`${base}/healthz`)).json()) as { uplink: string; devices: { online: boolean }[] };
      return j.uplink === 'online' && j.devices[0]?.online ? j : null;
    }, 'a healthy gateway');
    expect(h).toMatchObject({
      gateway: GW,
      uplink: 'online',
      buffer: { diskFull: false },
      devices: [{ id: 'meter-01', online: true }],
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^linli_buffer_events\\{gateway="${GW}"\\} \\d+$`, 'm'));
    expect(metrics).toContain(`linli_uplink_up{gateway="${GW}"} 1`);
    expect(metrics).toContain(`linli_device_online{gateway="${GW}",device="meter-01"} 1`);
    expect(metrics).toMatch(/^# TYPE linli_buffer_evicted_total counter$/m);

    // The hub has the gateway's self-reported status for the cockpit's device status.
    const views = await untilAsync(async () => {
      const r = await fetch(`http://127.0.0.1:${hubPort}/api/gateways`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await r.json()) as { gateways: { id: string; status: unknown }[] };
      const g = body.gateways.find((x) => x.id === GW);
      return g?.status ? g : null;
    }, 'the gateway status at the hub');
    expect(views).toMatchObject({
      id: GW,
      connected: true,
      clockSuspect: false,
      status: { buffer: { diskFull: false } },
    });
  });

  it('flags a gateway whose clock is off, without letting it affect delivery', async () => {
    const GW = 'gw-341302001001';
    const { hub, token, url } = await startHub(GW);
    cleanup.push(() => hub.stop());
    const box = makeOutbox();
    cleanup.push(() => box.close());
    // Five minutes fast, as a gateway whose RTC battery died and NTP never came back.
    const { uplink } = makeUplink(box, { hubUrl: url, gatewayId: GW, token, now: () => Date.now() + 300_000 });
    uplink.start();
    cleanup.push(() => uplink.stop());
    await Promise.all(Array.from({ length: 20 }, (_, i) => box.enqueue(meter(i), LOCATION)));
    const view = await untilAsync(
      async () => (await hub.gatewayViews()).find((g) => g.id === GW && g.status) ?? null,
      'a status report',
    );
    expect(view.clockSuspect).toBe(true);
    expect(view.clockSkewMs).toBeGreaterThan(290_000);
    await until(() => box.stats().depth === 0 || null, 'delivery');
  });
});
