import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wire } from '@linli/contract';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosProxy } from '../helpers/chaos-proxy.js';
import { helloRefuser } from '../helpers/hello-refuser.js';
import { hubRecord } from '../helpers/hub-db.js';
import {
  freePort,
  GATEWAY_CLI,
  HUB_CLI,
  hubCli,
  node,
  type Proc,
  ready,
  SIM_CLI,
  until,
} from '../helpers/processes.js';

/**
 * The hub ends the gateway's connection itself (Socket.IO's `io server
 * disconnect`, after which socket.io-client never reconnects on its own): a
 * second client with the same identity, a graceful hub restart, a token revoked
 * and re-issued. Real hub, simulator and gateway processes; each time the
 * gateway must come back by itself, the hub must show it online, and every
 * event the gateway produced must be in the hub's store exactly once.
 */
const GW = 'gw-341302001001';
const AREA = '341302001001';
const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

/** Hub, simulator and gateway processes; the gateway reaches the hub through a TCP proxy, or a relay refusing the first hello. */
async function startCompound(via: 'proxy' | 'hello-refuser' = 'proxy') {
  const dir = mkdtempSync(join(tmpdir(), 'linli-kicked-'));
  const hubData = join(dir, 'hub');
  const hubPort = await freePort();
  const token = hubCli(hubData, ['gateway', 'add', '--id', GW, '--area', AREA]);
  const hub = { proc: null as Proc | null };
  const startHub = async () => {
    const p = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort)]);
    hub.proc = p;
    stops.push(() => p.stop());
    await ready(p, 'hub');
  };
  await startHub();
  const proxy = new ChaosProxy(hubPort);
  const proxyPort = await proxy.start();
  stops.push(() => proxy.stop());
  const refuser = via === 'hello-refuser' ? await helloRefuser(`http://127.0.0.1:${hubPort}`) : null;
  if (refuser) stops.push(() => refuser.stop());
  const hubUrl = refuser?.url ?? `http://127.0.0.1:${proxyPort}`;
  const simPort = await freePort();
  const sim = node(SIM_CLI, ['--port', String(simPort), '--unit', '1=energy-meter-3p', '--seed', '7']);
  stops.push(() => sim.stop());
  await ready(sim, 'simulator');
  const gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  const tokenFile = join(gwDir, 'gateway.token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  writeFileSync(
    join(gwDir, 'gateway.yaml'),
    `version: 1
gateway: { id: ${GW}, community: "${AREA}" }
dataDir: ./state
hub: { url: "${hubUrl}", tokenFile: ./gateway.token, connectTimeoutMs: 3000, reconnectMaxMs: 2000 }
buffer: { synchronous: normal }
devices:
  - id: meter-01
    type: energy-meter-3p
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`,
  );
  const gateway = node(GATEWAY_CLI, ['run', '--config', join(gwDir, 'gateway.yaml')]);
  stops.push(() => gateway.stop());
  const c = {
    hubData,
    hubPort,
    token,
    tokenFile,
    hub,
    startHub,
    proxy,
    refuser,
    gateway,
    /** The highest sequence the gateway has produced so far. */
    produced(): number {
      const db = new Database(join(gwDir, 'state', 'buffer.sqlite'), { readonly: true });
      try {
        return (db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: number }).value;
      } finally {
        db.close();
      }
    },
    /** The hub's presence record: which node holds the gateway (null = offline). */
    heldBy(): string | null {
      const db = new Database(join(hubData, 'hub.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT node_id FROM gateways WHERE id = ?').get(GW) as { node_id: string | null }).node_id;
      } finally {
        db.close();
      }
    },
    watermark: () => hubRecord(hubData, GW).watermark,
    /** Everything produced until now reaches the hub, once, and the hub shows the gateway online. */
    async deliveredExactlyOnce(what: string): Promise<void> {
      const target = await until(() => c.produced() > 5 && c.produced(), `${what}: events produced`, 60_000);
      await until(() => c.watermark() >= target || null, `${what}: the hub to reach seq ${target}`, 90_000);
      const rec = hubRecord(hubData, GW);
      const upTo = rec.rows.filter((r) => r.seq <= rec.watermark).map((r) => r.seq);
      expect(upTo).toEqual(Array.from({ length: rec.watermark }, (_, i) => i + 1));
      expect(new Set(rec.rows.map((r) => r.seq)).size).toBe(rec.rows.length);
      await until(() => c.heldBy() !== null || null, `${what}: the hub to show the gateway online`, 60_000);
    },
    /** The gateway's log lines saying why it reconnects. */
    reconnects: () =>
      gateway
        .out()
        .split('\n')
        .filter((l) => l.includes('uplink disconnected; reconnecting')),
  };
  await until(() => gateway.out().includes('uplink online') || null, 'the gateway online', 60_000);
  return c;
}

/** A client holding the gateway's token that reconnects 100 ms after every refusal or kick: a stolen token. */
function impostor(port: number, token: string) {
  const seen = { connected: 0, refused: 0, kicked: 0 };
  let socket: Socket | null = null;
  let stopped = false;
  const attempt = () => {
    if (stopped) return;
    const s = io(`http://127.0.0.1:${port}${wire.GATEWAY_NAMESPACE}`, {
      auth: { gatewayId: GW, token, protocol: wire.PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket = s;
    const again = () => {
      s.removeAllListeners();
      s.disconnect();
      setTimeout(attempt, 100);
    };
    s.on('connect', () => void seen.connected++);
    s.on('connect_error', (err) => {
      if (err.message.startsWith('duplicate')) seen.refused++;
      again();
    });
    s.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') seen.kicked++;
      again();
    });
  };
  attempt();
  return {
    seen,
    stop() {
      stopped = true;
      socket?.removeAllListeners();
      socket?.disconnect();
    },
  };
}

describe('a gateway the hub disconnects comes back by itself', () => {
  it('(a) a second client with the same identity: both get turns, the real gateway keeps delivering, and wins once alone', async () => {
    const c = await startCompound();
    const thief = impostor(c.hubPort, c.token);
    stops.push(() => thief.stop());
    await until(() => thief.seen.connected >= 1 || null, 'the impostor to get in', 60_000);
    const during = c.watermark();
    // The contest: the impostor is kicked by the real gateway and refused while the gateway's connection is young.
    await until(
      () => (thief.seen.kicked >= 1 && thief.seen.refused >= 1 && c.watermark() > during) || null,
      'the real gateway to take over and deliver while the impostor keeps trying',
      120_000,
    );
    expect(c.reconnects().some((l) => l.includes('the hub closed the connection'))).toBe(true);
    const hubOut = c.hub.proc!.out();
    expect(hubOut).toMatch(/gateway connected twice: refused the newcomer/);
    const audited = await until(() => {
      const db = new Database(join(c.hubData, 'hub.sqlite'), { readonly: true });
      try {
        const rows = db
          .prepare(
            "SELECT outcome, detail FROM audit_log WHERE action = 'gateway:duplicate-connection' AND target_id = ?",
          )
          .all(GW) as { outcome: string; detail: string }[];
        return rows.some((r) => r.outcome === 'denied') && rows.some((r) => r.outcome === 'ok') ? rows : null;
      } finally {
        db.close();
      }
    }, 'both outcomes in the audit log');
    expect(audited[0]!.detail).toMatch(/(replaced|refused): .* vs .*; replaced \d+, refused \d+/);
    thief.stop();
    await c.deliveredExactlyOnce('after the impostor left');
  }, 300_000);

  it('(b) a graceful hub restart (the hub ends every socket itself)', async () => {
    const c = await startCompound();
    const before = c.reconnects().length;
    await c.hub.proc!.stop();
    // Events pile up in the gateway's buffer while the hub is away.
    const atStop = c.produced();
    await until(() => c.produced() > atStop + 5 || null, 'events produced while the hub is down', 60_000);
    await c.startHub();
    await c.deliveredExactlyOnce('after the hub restart');
    expect(c.reconnects().length).toBeGreaterThan(before);
  }, 300_000);

  it('(c) a hello refused once (the hub ends the socket, as when its database fails during the hello)', async () => {
    const c = await startCompound('hello-refuser');
    // Online means a second hello was answered, by the real hub through the relay.
    expect(c.refuser!.hellos()).toBeGreaterThanOrEqual(2);
    const said = c.gateway
      .out()
      .split('\n')
      .filter((l) => l.includes('"level":40') && l.includes('hub connection failed; retrying'));
    expect(said.some((l) => l.includes('the hub closed the connection (another connection'))).toBe(true);
    await c.deliveredExactlyOnce('after the refused hello');
  }, 300_000);

  it('(d) the token revoked, then re-issued through the real CLI: refused while revoked, back with the new token', async () => {
    const c = await startCompound();
    hubCli(c.hubData, ['gateway', 'revoke', '--id', GW]);
    c.proxy.cut();
    await until(
      () => c.gateway.out().includes("the hub refused this gateway's token") || null,
      'the refusal in the gateway log',
      60_000,
    );
    const refusedAt = c.produced();
    // Re-issued: the installer writes the new token where the gateway reads it; no restart.
    const fresh = hubCli(c.hubData, ['gateway', 'add', '--id', GW, '--area', AREA]);
    writeFileSync(c.tokenFile, fresh, { mode: 0o600 });
    await c.deliveredExactlyOnce('after the token was re-issued');
    expect(c.watermark()).toBeGreaterThanOrEqual(refusedAt);
  }, 300_000);
});
