import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LinliEvent, validators } from '@linli/contract';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  cockpitToken,
} from '../helpers/processes.js';

/**
 * The walking skeleton over real processes: a simulated Modbus device, a
 * gateway process buffering in SQLite, the hub process over Socket.IO, and a
 * cockpit client receiving the events live.
 */
const GW = 'gw-341302001001';
let dir: string;
let hubPort: number;
let hub: Proc;
let sim: Proc;
let gateway: Proc;
let cockpitKey: string;
const sockets: Socket[] = [];

function gatewayConfig(simPort: number, overrides = ''): string {
  return `version: 1
gateway:
  id: ${GW}
  community: "341302001001"
dataDir: ./state
hub:
  url: http://127.0.0.1:${hubPort}
  tokenFile: ./gateway.token
devices:
  - id: meter-01
    type: energy-meter-3p
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
  - id: safety-01
    type: di-safety-sensor
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 2 }
    location: { lng: 117.012, lat: 33.661, gridId: "341302001001002" }
${overrides}`;
}

function connect(ns: string, auth: object): Socket {
  const s = io(`http://127.0.0.1:${hubPort}${ns}`, { auth, transports: ['websocket'], reconnection: false });
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-int-'));
  hubPort = await freePort();
  const hubData = join(dir, 'hub');
  const token = hubCli(hubData, ['gateway', 'add', '--id', GW, '--area', '341302001001']);
  cockpitKey = cockpitToken(hubData);
  hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort), '--demo-city']);
  await ready(hub, 'hub');
  const simPort = await freePort();
  sim = node(SIM_CLI, [
    '--port',
    String(simPort),
    '--unit',
    '1=energy-meter-3p',
    '--unit',
    '2=di-safety-sensor',
    '--seed',
    '42',
  ]);
  await ready(sim, 'simulator');
  const gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  writeFileSync(join(gwDir, 'gateway.token'), token, { mode: 0o600 });
  writeFileSync(join(gwDir, 'gateway.yaml'), gatewayConfig(simPort));
  gateway = node(GATEWAY_CLI, ['run', '--config', join(gwDir, 'gateway.yaml')]);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all([gateway?.stop(), sim?.stop()]);
  await hub?.stop();
});

describe('device → gateway → hub → cockpit', () => {
  it('delivers simulated meter readings to a cockpit client live, valid and in sequence', async () => {
    const cockpit = connect('/cockpit', { key: cockpitKey });
    const received: LinliEvent[] = [];
    cockpit.on('events', (events: LinliEvent[]) => received.push(...events));
    await until(
      () => received.some((e) => e.kind === 'meter.reading' && e.gatewayId === GW),
      'a meter reading at the cockpit',
    );
    for (const e of received) expect(validators.event.check(e).ok).toBe(true);
    const seqs = received.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const reading = received.find((e) => e.kind === 'meter.reading')!;
    expect(reading).toMatchObject({
      deviceId: expect.stringMatching(/^meter-01$/),
      location: { gridId: '341302001001001' },
    });
  });

  it('stores every event once at the hub with gap-free sequences, and the gateway drops only acknowledged ones', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    // Gateway first, hub second: whatever left the gateway's outbox before this read was acknowledged, so it must be at the hub.
    const gwDb = new Database(join(dir, 'gw', 'state', 'buffer.sqlite'), { readonly: true });
    const buffered = new Set(
      (gwDb.prepare('SELECT seq FROM telemetry UNION ALL SELECT seq FROM alarms').all() as { seq: number }[]).map(
        (r) => r.seq,
      ),
    );
    const produced = (gwDb.prepare("SELECT value FROM meta WHERE key = 'last_seq'").get() as { value: number }).value;
    gwDb.close();
    const db = new Database(join(dir, 'hub', 'hub.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT seq FROM events WHERE gateway_id = ? ORDER BY seq').all(GW) as {
      seq: number;
    }[];
    db.close();
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const atHub = new Set(rows.map((r) => r.seq));
    const missing = Array.from({ length: produced }, (_, i) => i + 1).filter((s) => !buffered.has(s) && !atHub.has(s));
    expect(missing).toEqual([]);
    const health = (await (await fetch(`http://127.0.0.1:${hubPort}/healthz`)).json()) as { eventsStored: number };
    expect(health.eventsStored).toBeGreaterThanOrEqual(rows.length);
  });

  it('refuses a gateway with a wrong token and logs it without the token', async () => {
    const bogus = 'x'.repeat(43);
    const s = connect('/gateway', { gatewayId: GW, token: bogus, protocol: 1 });
    const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    await until(() => hub.out().includes('"reason":"bad token"'), 'the refusal in the hub log');
    expect(hub.out()).not.toContain(bogus);
    const unknown = connect('/gateway', { gatewayId: 'gw-nobody', token: bogus, protocol: 1 });
    expect((await new Promise<Error>((resolve) => unknown.once('connect_error', resolve))).message).toBe(
      'unauthorized',
    );
    const malformed = connect('/gateway', { hello: 'there' });
    expect((await new Promise<Error>((resolve) => malformed.once('connect_error', resolve))).message).toMatch(
      /^unauthorized/,
    );
  });

  it('refuses a cockpit without the key, on the socket and on the API', async () => {
    const s = connect('/cockpit', { key: 'wrong-key-wrong-key' });
    expect((await new Promise<Error>((resolve) => s.once('connect_error', resolve))).message).toBe('unauthorized');
    expect((await fetch(`http://127.0.0.1:${hubPort}/api/areas`)).status).toBe(401);
    const ok = await fetch(`http://127.0.0.1:${hubPort}/api/areas`, {
      headers: { authorization: `Bearer ${cockpitKey}` },
    });
    expect(ok.status).toBe(200);
    expect(
      ((await ok.json()) as { features: { properties: { level: string } }[] }).features.filter(
        (f) => f.properties.level === 'community',
      ),
    ).toHaveLength(10);
  });

  it('rejects an invalid batch whole, naming the field, and stores nothing of it', async () => {
    const token = hubCli(join(dir, 'hub'), ['gateway', 'add', '--id', 'gw-raw', '--area', '341302001001']);
    const s = connect('/gateway', { gatewayId: 'gw-raw', token, protocol: 1 });
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const good = {
      v: 1,
      id: '01JD0000000000000000000000',
      gatewayId: 'gw-raw',
      seq: 1,
      deviceTime: 1,
      receivedAt: 1,
      deviceId: 'd',
      kind: 'sos.call',
      severity: 'critical',
      location: { lng: 117, lat: 33.6, gridId: '341302001001001' },
      payload: {},
    };
    const bad = { ...good, seq: 2, payload: { household: 42 } };
    const reply = await s.timeout(5000).emitWithAck('events', { events: [good, bad] });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_BATCH',
        issues: [{ field: 'events[1].payload.household', message: 'must be string' }],
      },
    });
    const devices = [{ id: 'd', type: 'sos-button', gridId: '341302001001001' }];
    const hello = await s.timeout(5000).emitWithAck('hello', { devices, lastSeq: 0 });
    expect(hello).toMatchObject({ ok: true, lastSeq: 0, devices: { changed: true, refused: [] } });
    const foreign = await s.timeout(5000).emitWithAck('events', { events: [{ ...good, gatewayId: GW }] });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'WRONG_GATEWAY' } });
    expect(await s.timeout(5000).emitWithAck('events', { events: [good] })).toEqual({ ok: true, ackSeq: 1 });
  });

  it('exits with a clear error naming file, line and field for a bad config, without a stack trace', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, gatewayConfig(1502).replace('pollMs: 200', 'pollMs: fast'));
    const r = spawnSync(process.execPath, [GATEWAY_CLI, 'run', '--config', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:12: devices[0].pollMs: must be integer`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
